-- Tenancy: organizations own websites and API keys; users join organizations with a role.

CREATE TABLE organizations (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email          text NOT NULL CHECK (length(email) <= 320),
  name           text CHECK (length(name) <= 200),
  password_hash  text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
-- Emails are unique case-insensitively; lookups use lower(email).
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE memberships (
  organization_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role             text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

CREATE TABLE websites (
  id               text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
  organization_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  domain           text NOT NULL CHECK (length(domain) BETWEEN 1 AND 253),
  timezone         text NOT NULL DEFAULT 'UTC',
  -- Whether anonymous browser collects (public website id, no key) are accepted.
  public_collect   boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX websites_org_idx ON websites (organization_id, created_at);

CREATE TABLE api_keys (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- The readable start of the key (e.g. ff_live_AbC1), shown in listings to tell keys apart.
  prefix           text NOT NULL,
  -- SHA-256 of the whole key; the plaintext is never stored.
  key_hash         bytea NOT NULL,
  scopes           text[] NOT NULL CHECK (scopes <@ ARRAY['ingest', 'read']::text[] AND cardinality(scopes) > 0),
  -- NULL: every website of the organization.
  website_ids      text[],
  expires_at       timestamptz,
  revoked_at       timestamptz,
  last_used_at     timestamptz,
  created_by       uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
-- Keys authenticate before their organization is known, so the hash lookup is global.
CREATE UNIQUE INDEX api_keys_hash_key ON api_keys (key_hash);
CREATE INDEX api_keys_org_idx ON api_keys (organization_id, created_at);
