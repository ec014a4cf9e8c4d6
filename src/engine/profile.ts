// The profile sub-port: our own account's public face (picture, about text, privacy settings) and what
// WhatsApp tells anyone about a person (picture, about, business profile). Our types only; the Baileys module
// is engine/baileys/profile.ts.

/** A profile picture as WhatsApp serves it. */
export interface ProfilePicture {
  url: string;
  /** WhatsApp's picture id (changes with every new picture); null when WhatsApp did not say */
  id: string | null;
}

/** The about text ("status") of an account; `text` null when its owner hides it from us. */
export interface AboutText {
  text: string | null;
  /** unix seconds it was set, null when unknown */
  setAt: number | null;
}

export interface BusinessHours {
  /** sun, mon, … as WhatsApp sends it */
  day: string | null;
  /** open_24h, specific_hours, appointment_only, … */
  mode: string | null;
  /** minutes after midnight */
  openMinutes: number | null;
  closeMinutes: number | null;
}

export interface BusinessProfile {
  /** the account WhatsApp answered for */
  jid: string;
  description: string | null;
  category: string | null;
  email: string | null;
  website: string[];
  address: string | null;
  hoursTimezone: string | null;
  hours: BusinessHours[];
}

export interface ProfileCommands {
  /** a person's (or our own) picture: the full image, or the small preview; null when there is none or it is hidden from us */
  picture(jid: string, options?: { preview?: boolean }): Promise<ProfilePicture | null>;
  /** sets our own picture from image bytes (JPEG) */
  setPicture(image: Buffer): Promise<void>;
  removePicture(): Promise<void>;
  /** our privacy settings as WhatsApp names them (readreceipts, last, online, profile, status, groupadd, calladd, messages, …) */
  privacy(): Promise<Record<string, string>>;
  /** a person's (or our own) about text; null when WhatsApp knows no such account */
  about(jid: string): Promise<AboutText | null>;
  /** a person's business profile; null when the account is not a business */
  businessProfile(jid: string): Promise<BusinessProfile | null>;
}
