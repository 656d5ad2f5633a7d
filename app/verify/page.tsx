import type { Metadata } from 'next';
import { requireUser } from '@/app/(auth)/current-user';
import { VerifyForm } from '@/components/verify/VerifyForm';

export const metadata: Metadata = { title: 'Verify a copy' };

/** Members check an exported file or a pasted content hash against the saved versions. */
export default async function VerifyPage() {
  await requireUser('/verify');
  return (
    <section className="narrow">
      <h1>Verify a copy</h1>
      <p>
        Choose an exported file (PDF, DOCX, HTML or Markdown) or paste a content hash. A file is
        checked from the content it carries: its hash is computed again, and the text it shows is
        compared with that content. The printed hash alone is never trusted.
      </p>
      <VerifyForm />
    </section>
  );
}
