/** The server's comment limit (lib/services/comments.ts MAX_COMMENT_LENGTH), for textareas. */
export const MAX_COMMENT_LENGTH_CLIENT = 5000;
