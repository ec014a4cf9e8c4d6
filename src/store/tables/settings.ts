// Row type of `settings`: small persisted key/value settings (e.g. the daily restart schedule).
import type { Insertable, Selectable } from 'kysely';

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: number;
}

export type SettingRow = Selectable<SettingsTable>;
export type NewSettingRow = Insertable<SettingsTable>;
