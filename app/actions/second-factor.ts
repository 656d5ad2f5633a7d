'use server';

import { AuthError, CredentialsSignin } from 'next-auth';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { signIn } from '@/app/(auth)/auth';
import { getCurrentUser, safeReturnPath } from '@/app/(auth)/current-user';
import { signInChallengeToken } from '@/app/(auth)/sign-in-challenge';
import { getDb } from '@/db/client';
import { AppError } from '@/lib/errors';
import {
  confirmTotpEnrolment,
  disableTotp,
  startTotpEnrolment,
} from '@/lib/services/second-factor';
import { setSecondFactorRequirement } from '@/lib/services/second-factor-requirement';
import { SECOND_STEP_MESSAGES } from '@/lib/services/second-factor-sign-in';
import { SIGN_IN_MESSAGES } from '@/lib/services/sign-in';
import { field, runAction, type ActionState } from './result';

async function signedIn() {
  const user = await getCurrentUser();
  if (!user) throw new AppError('unauthorized', 'Your session has ended. Sign in again.');
  return user;
}

/** The second step of a password sign-in: the code from the app, or a recovery code. */
export async function secondFactorSignInAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  const callbackUrl = safeReturnPath(field(formData, 'callbackUrl'));
  if (!(await signInChallengeToken())) return { ok: false, message: SECOND_STEP_MESSAGES.expired };
  try {
    await signIn('second-factor', { code: field(formData, 'code'), redirectTo: callbackUrl });
    return { ok: true, message: 'Signed in.' };
  } catch (error) {
    if (error instanceof CredentialsSignin) {
      const [code, seconds] = (error.code ?? '').split(':');
      if (code === 'rate_limited') {
        return {
          ok: false,
          message: SIGN_IN_MESSAGES.rate_limited(Math.ceil(Number(seconds) / 60)),
        };
      }
      if (code === 'expired') return { ok: false, message: SECOND_STEP_MESSAGES.expired };
      return { ok: false, message: SECOND_STEP_MESSAGES.invalid };
    }
    if (error instanceof AuthError) return { ok: false, message: SECOND_STEP_MESSAGES.invalid };
    throw error;
  }
}

export async function startEnrolmentAction(): Promise<void> {
  const user = await getCurrentUser();
  if (!user) redirect('/signin?callbackUrl=/profile');
  await startTotpEnrolment(await getDb(), user);
  revalidatePath('/profile');
}

export async function confirmEnrolmentAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  return runAction('secondFactor.confirm', async () => {
    const codes = await confirmTotpEnrolment(
      await getDb(),
      await signedIn(),
      field(formData, 'code'),
    );
    // No revalidation here: the page would re-render without the codes before they are read.
    return {
      ok: true,
      message: 'Your second factor is on. Your other sessions were signed out.',
      data: { recoveryCodes: codes.join('\n') },
    };
  });
}

export async function disableSecondFactorAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  return runAction('secondFactor.disable', async () => {
    const user = await signedIn();
    await disableTotp(await getDb(), user.id, field(formData, 'code'));
    revalidatePath('/profile');
    return { ok: true, message: 'Your second factor is off.' };
  });
}

export async function setSecondFactorRequirementAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  return runAction('secondFactor.require', async () => {
    const user = await signedIn();
    const workspaceId = field(formData, 'workspaceId');
    const required = field(formData, 'required') === 'on';
    const { membersWithout } = await setSecondFactorRequirement(await getDb(), user.id, {
      workspaceId,
      required,
    });
    revalidatePath(`/groups/${workspaceId}`, 'layout');
    if (!required) return { ok: true, message: 'A second factor is now optional in this group.' };
    return {
      ok: true,
      message:
        membersWithout === 0
          ? 'Members now need a second factor. Every member has one.'
          : `Members now need a second factor. ${membersWithout} member${membersWithout === 1 ? ' has' : 's have'} none yet and will be asked to turn one on.`,
    };
  });
}
