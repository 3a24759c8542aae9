// A small OpenID Connect provider for the dashboard's tests (oidc-provider, on loopback, with its development
// sign-in pages: any login, any password). Accounts named admin* are in it-admins, nobody* in no group, everyone
// else in billing-office. Prints {"issuer": …} on its first line; stops when its standard input closes.
import http from 'node:http';
import Provider from 'oidc-provider';

const [clientId, clientSecret, redirectUri] = process.argv.slice(2);
const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const groups = (id) =>
  id.startsWith('admin') ? ['it-admins'] : id.startsWith('nobody') ? [] : ['billing-office'];
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  claims: { openid: ['sub'], profile: ['preferred_username', 'roles'] },
  conformIdTokenClaims: false,
  cookies: { keys: ['test-only-cookie-key'] },
  findAccount: (_ctx, id) => ({
    accountId: id,
    claims: () => ({ sub: id, preferred_username: id, roles: groups(id) }),
  }),
});
server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
process.stdin.on('end', () => server.close(() => process.exit(0)));
process.stdin.resume();
