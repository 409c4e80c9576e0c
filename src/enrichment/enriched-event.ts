import { EventKind } from '../collect/canonical-event';

/** Device classes stored in events.device_type. */
export type DeviceType = 'desktop' | 'mobile' | 'tablet' | 'tv' | 'console' | 'wearable' | 'embedded' | 'bot' | 'unknown';

/** What user-agent parsing yields. Unknown parts are null. */
export interface UserAgentInfo {
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  osVersion: string | null;
  deviceType: DeviceType;
  isBot: boolean;
}

/** What GeoIP yields; every part null when the address is unknown or geo is disabled. */
export interface GeoInfo {
  country: string | null; // ISO 3166-1 alpha-2
  region: string | null; // subdivision name (e.g. England)
  city: string | null;
}

/** URL, referrer and campaign parts derived from the event. */
export interface PageInfo {
  hostname: string | null;
  path: string | null;
  query: string | null;
  referrer: string | null;
  /** Referrer host without www.; null when absent or same-site (internal navigation). */
  referrerDomain: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  utmTerm: string | null;
  utmContent: string | null;
}

/**
 * One row of the events table, before the writer assigns id and session. Never holds the raw IP.
 */
export interface EnrichedEvent extends UserAgentInfo, GeoInfo, PageInfo {
  websiteId: string;
  occurredAt: Date;
  kind: EventKind;
  name: string | null;
  title: string | null;
  props: Record<string, unknown> | null;
  visitorId: string;
  userId: string | null;
  language: string | null;
  screen: string | null;
  screenWidth: number | null;
  screenHeight: number | null;
  /** Client idempotency key, if any. */
  eventKey: string | null;
}
