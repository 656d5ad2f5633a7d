import { SubmitButton } from './SubmitButton';

type Props = {
  providers: Array<{ id: string; name: string }>;
  callbackUrl: string;
  /** Starts the sign-on with the provider named by the form's `provider` field. */
  action: (formData: FormData) => Promise<void>;
};

/** One "Sign in with <name>" button per configured identity provider. */
export function SsoButtons({ providers, callbackUrl, action }: Props) {
  if (providers.length === 0) return null;
  return (
    <div className="sso-buttons stack" role="group" aria-label="Single sign-on">
      {providers.map((provider) => (
        <form key={provider.id} action={action}>
          <input type="hidden" name="provider" value={provider.id} />
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <SubmitButton variant="secondary" pendingLabel={`Going to ${provider.name}…`}>
            Sign in with {provider.name}
          </SubmitButton>
        </form>
      ))}
      <p className="sso-divider muted" aria-hidden="true">
        or with your email
      </p>
    </div>
  );
}
