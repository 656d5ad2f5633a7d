/**
 * What every form action returns: shown next to the form, so errors never become error pages.
 * Lives in lib/ because both the server actions (app/actions) and the form component that shows
 * the outcome (components/ActionForm) need it, and components/ may not import app/.
 */
export type ActionState = { ok: boolean; message: string; data?: Record<string, string> } | null;
