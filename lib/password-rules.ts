/**
 * The password length rule, alone so that forms in the browser can hint it without loading the
 * validation schemas (lib/validation.ts builds `passwordSchema` on it).
 */
export const MIN_PASSWORD_LENGTH = 10;
