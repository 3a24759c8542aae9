// A replica holding its name in a process of its own, for replica-name.spec.ts to kill (SIGKILL).
import { ReplicaName } from '../../src';

const [databaseUrl, schema, replicaId] = ['DATABASE_URL', 'SERVICE_SCHEMA', 'REPLICA_ID'].map((name) => {
  const value = process.env[name];
  if (!value) throw new Error(`replica-name-holder: ${name} is required`);
  return value;
});

new ReplicaName(databaseUrl, schema, replicaId).hold().then(
  () => console.log(`holding ${replicaId}`),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
