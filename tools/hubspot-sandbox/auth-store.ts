import { randomBytes } from 'node:crypto';

/** Access tokens live 30 minutes, as HubSpot's do. */
export const ACCESS_TOKEN_TTL_SECONDS = 1800;
/** Authorization codes are single-use and short-lived. */
export const AUTH_CODE_TTL_MS = 10 * 60_000;

/** Who the sandbox says installed the app (token metadata). */
export const SANDBOX_USER = { id: 7654321, email: 'sandbox-user@example.com' } as const;
export const SANDBOX_APP_ID = 424242;

/** Scopes a token gets when it is issued without naming any (tests, `issueTokens`). */
export const ALL_SCOPES: readonly string[] = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.deals.read',
  'crm.objects.line_items.read',
  'crm.objects.line_items.write',
  'crm.objects.quotes.read',
  'crm.objects.invoices.read',
  'crm.objects.invoices.write',
  'crm.schemas.invoices.write',
  'crm.objects.owners.read',
  'settings.users.read',
  'tax_rates.read',
];

export interface AccessTokenRecord {
  token: string;
  hubId: number;
  scopes: string[];
  userId: number;
  userEmail: string;
  /** Epoch ms. */
  expiresAt: number;
}

interface AuthCodeRecord {
  code: string;
  hubId: number;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

interface RefreshTokenRecord {
  token: string;
  hubId: number;
  clientId: string;
  scopes: string[];
  revoked: boolean;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

function opaque(prefix: string): string {
  return `${prefix}-${randomBytes(18).toString('base64url')}`;
}

/** OAuth state: authorization codes, refresh tokens and access tokens, each tied to one hub id. */
export class SandboxAuth {
  private readonly codes = new Map<string, AuthCodeRecord>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private readonly accessTokens = new Map<string, AccessTokenRecord>();

  constructor(
    private readonly clientId: string,
    private readonly now: () => number,
  ) {}

  createAuthCode(input: { hubId: number; clientId: string; redirectUri: string; scopes: string[] }): string {
    const code = opaque('sandbox-code');
    this.codes.set(code, { ...input, code, expiresAt: this.now() + AUTH_CODE_TTL_MS, used: false });
    return code;
  }

  /** The code's record if it exists, is unused and unexpired; marks it used. */
  redeemAuthCode(code: string): AuthCodeRecord | undefined {
    const c = this.codes.get(code);
    if (!c || c.used || c.expiresAt <= this.now()) return undefined;
    c.used = true;
    return c;
  }

  refreshTokenRecord(token: string): RefreshTokenRecord | undefined {
    const r = this.refreshTokens.get(token);
    return r && !r.revoked ? r : undefined;
  }

  /** Issues an access token for a hub, with a new refresh token unless one is given (refreshes keep theirs). */
  issue(hubId: number, scopes: readonly string[] = ALL_SCOPES, refreshToken?: string): IssuedTokens {
    const rt = refreshToken ?? opaque('sandbox-refresh');
    if (!this.refreshTokens.has(rt)) {
      this.refreshTokens.set(rt, { token: rt, hubId, clientId: this.clientId, scopes: [...scopes], revoked: false });
    }
    const accessToken = opaque('sandbox-access');
    this.accessTokens.set(accessToken, {
      token: accessToken,
      hubId,
      scopes: [...scopes],
      userId: SANDBOX_USER.id,
      userEmail: SANDBOX_USER.email,
      expiresAt: this.now() + ACCESS_TOKEN_TTL_SECONDS * 1000,
    });
    return { accessToken, refreshToken: rt, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }

  /** The token's record whether or not it has expired; callers compare `expiresAt` with `now()`. */
  accessToken(token: string): AccessTokenRecord | undefined {
    return this.accessTokens.get(token);
  }

  /** Test helper: makes an access token expired (`ago` ms in the past). */
  expireAccessToken(token: string, ago = 60_000): void {
    const t = this.accessTokens.get(token);
    if (t) t.expiresAt = this.now() - ago;
  }

  /** The app was uninstalled from the hub: every refresh and access token of the hub stops working. */
  revokeHub(hubId: number): void {
    for (const r of this.refreshTokens.values()) if (r.hubId === hubId) r.revoked = true;
    for (const [token, a] of this.accessTokens) if (a.hubId === hubId) this.accessTokens.delete(token);
  }

  /** Test helper: the app was uninstalled; the refresh token stops working. */
  revokeRefreshToken(token: string): void {
    const r = this.refreshTokens.get(token);
    if (r) r.revoked = true;
  }
}
