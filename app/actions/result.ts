import { unstable_rethrow } from 'next/navigation';
import { isAppError } from '@/lib/errors';
import type { ActionState } from '@/lib/action-state';
import { log } from '@/lib/log';

export type { ActionState };

/** Runs an action body, turning domain errors into messages and logging the rest. */
export async function runAction(
  where: string,
  body: () => Promise<ActionState>,
): Promise<ActionState> {
  try {
    return await body();
  } catch (error) {
    // Next.js signals redirects and not-found by throwing; let them through.
    unstable_rethrow(error);
    if (isAppError(error)) return { ok: false, message: error.message };
    log.error({ err: error, where }, 'action failed');
    return {
      ok: false,
      message: 'Something went wrong on our side. Nothing was changed; try again.',
    };
  }
}

export function field(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === 'string' ? value : '';
}
