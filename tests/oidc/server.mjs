// A real OpenID Connect provider (the npm package oidc-provider) for the sign-in tests, listening on 127.0.0.1 only.
// Usage: node server.mjs PORT REDIRECT_URI [REDIRECT_URI …]
// Prints "bereit" once it listens. The test users below sign in through the provider's own login form (any password:
// the provider's development login; what is tested is the app's side of a real OIDC code flow).
import { existsSync, readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const [port, ...redirectUris] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

// login → claims. groups carries the role, gebiet an optional area scope (see docs: [zugang] in secrets.toml).
// email_verified: true unless a user says otherwise (paula: an address the provider has not checked).
const USERS = {
  betrachter: { name: 'Bea Betrachter', email: 'bea@kreis.example', groups: ['sozialmonitor-lesen'] },
  bearbeiter: { name: 'Bernd Bearbeiter', email: 'bernd@kreis.example', groups: ['sozialmonitor-bearbeiten'] },
  verwaltung: { name: 'Vera Verwaltung', email: 'vera@kreis.example', groups: ['sozialmonitor-verwaltung'] },
  gemeinde: { name: 'Gero Gemeinde', email: 'gero@gemeinde.example', groups: ['sozialmonitor-lesen'], gebiet: 'SR2' },
  fremd: { name: 'Fritz Fremd', email: 'fritz@anderswo.example', groups: [] },
  paula: { name: 'Paula?', email: 'Paula@Kreis.Example', email_verified: false, groups: [] },
  wechsel: { name: 'Wanda Wechsel', email: 'wanda@kreis.example', groups: ['sozialmonitor-bearbeiten'] },
};

// A test changes a person's groups at the provider by writing GRUPPEN_DATEI (JSON: login → groups), read at
// every sign-in – as an administrator removes someone from a group in Keycloak.
function gruppen(id, user) {
  const datei = process.env.GRUPPEN_DATEI;
  if (datei && existsSync(datei)) {
    const neu = JSON.parse(readFileSync(datei, 'utf8'));
    if (id in neu) return { ...user, groups: neu[id] };
  }
  return user;
}

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'sozialmonitor',
    client_secret: 'test-geheimnis-nur-fuer-den-test',
    redirect_uris: redirectUris,
    // Streamlit's st.logout sends its redirect_uri (…/oauth2callback) as post_logout_redirect_uri
    post_logout_redirect_uris: [...redirectUris, ...redirectUris.map((u) => u.replace(/oauth2callback$/, ''))],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  claims: {
    openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups', 'gebiet'],
  },
  conformIdTokenClaims: false, // scope claims go into the ID token (Streamlit reads the ID token's claims)
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ['nur-fuer-den-test-0123456789abcdef'] },
  async findAccount(ctx, id) {
    const user = gruppen(id, USERS[id] || { name: id, email: `${id}@unbekannt.example`, groups: [] });
    return {
      accountId: id,
      async claims() {
        return { sub: id, email_verified: true, ...user };
      },
    };
  },
});
provider.listen(Number(port), '127.0.0.1', () => console.log('bereit'));
