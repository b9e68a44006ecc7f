import { DomainError } from '../../domain/errors.js';

/** A token pair as HubSpot hands it out. */
export interface HubSpotTokens {
  accessToken: string;
  refreshToken: string;
  /** Lifetime of the access token in seconds (HubSpot: 1800). */
  expiresInSeconds: number;
}

/** What HubSpot says about an access token: whose account and user it acts for. */
export interface HubSpotTokenInfo {
  /** The HubSpot account (portal) id. */
  hubId: number;
  /** The user who installed the app, when HubSpot names one. */
  userId: string | null;
  scopes: string[];
  hubDomain: string | null;
}

/** HubSpot's OAuth endpoints, behind a port so use cases never see the SDK. */
export interface HubSpotOAuthPort {
  /** Trades the authorization code from the install redirect for tokens. */
  exchangeCode(code: string): Promise<HubSpotTokens>;
  /** Gets a fresh access token; throws HubSpotGrantRefused when HubSpot no longer honours the refresh token. */
  refresh(refreshToken: string): Promise<HubSpotTokens>;
  /** Reads the account, user and scopes behind an access token. */
  tokenInfo(accessToken: string): Promise<HubSpotTokenInfo>;
}

/** The scopes the app asks for at install, as declared in app.json. */
export interface InstallScopes {
  required: readonly string[];
  optional: readonly string[];
}

/**
 * HubSpot refused a grant (`invalid_grant`: BAD_REFRESH_TOKEN, BAD_AUTH_CODE): the refresh token
 * was revoked (uninstall, user removed) or the code expired or was used. Retrying cannot help;
 * only a new install can. Callers translate it (needs_reauth, or a 400 on the install callback).
 */
export class HubSpotGrantRefused extends DomainError {
  constructor(readonly hubspotStatus: string) {
    super('hubspot_grant_refused', `HubSpot refused the grant (${hubspotStatus})`);
    this.name = 'HubSpotGrantRefused';
  }
}
