-- Shared links: a read-only link to one website's dashboard (/share/<token>), revoked by deleting
-- it. Keys lead with website_id, as the goals' do.
CREATE TABLE shared_links (
  website_id     text NOT NULL REFERENCES websites (id) ON DELETE CASCADE,
  id             text NOT NULL CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
  -- Kept as given (not hashed): the owner copies the link again from the list, and it reads only
  -- one website's statistics. 32 random bytes in base64url.
  token          text NOT NULL CHECK (token ~ '^[A-Za-z0-9_-]{43}$'),
  label          text CHECK (length(label) BETWEEN 1 AND 200),
  -- argon2id, as users' passwords; NULL: no password.
  password_hash  text,
  created_by     uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (website_id, id)
);
-- A link is opened before its website is known (as API keys authenticate), so the token lookup is global.
CREATE UNIQUE INDEX shared_links_token_key ON shared_links (token);
