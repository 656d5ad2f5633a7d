/** One of my signed-in browsers, as the profile's sessions list shows it. */
export type OwnSession = {
  id: string;
  /** e.g. "Firefox on Windows". */
  device: string;
  signedInAt: Date;
  lastSeenAt: Date;
  /** The session this request came with ("this browser"). */
  current: boolean;
};
