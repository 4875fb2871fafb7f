import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { canConnect } from '../../scripts/lib/processes';
import { dbBackendFrom, POSTGRES_BIN_DIR } from '../../scripts/lib/embeddedDatabase';

/**
 * The embedded PostgreSQL trusts whoever connects (a superuser, who can run programs as its OS
 * user), so no other local user may reach it: no TCP port, and its socket in a directory only its
 * owner can enter. The servers here are the tests' own, started by the same code as `npm start`'s.
 */
const onPostgres = dbBackendFrom(process.env) === 'postgresql';
const socketDir = process.env.EVOSCOPE_TEST_POSTGRES_SOCKET_DIR;

/** pg_isready's exit code run as `user` (0: accepting connections, 2: no answer). */
const pgIsReadyAs = (user: string, host: string, port: number) =>
  new Promise<number>((resolve) => {
    const child = execFile('runuser', [
      '-u',
      user,
      '--',
      path.join(POSTGRES_BIN_DIR, 'pg_isready'),
      '-h',
      host,
      '-p',
      String(port),
    ]);
    child.on('exit', (code) => resolve(code ?? -1));
  });

(onPostgres ? test : test.skip)('the PostgreSQL cluster takes no TCP connection; its socket is in a 0700 directory', async () => {
  expect(socketDir).toBeDefined();
  expect(fs.statSync(socketDir!).mode & 0o777).toBe(0o700);
  const sockets = fs.readdirSync(socketDir!).filter((name) => /^\.s\.PGSQL\.\d+$/.test(name));
  expect(sockets).toHaveLength(1);
  const port = Number(sockets[0].slice('.s.PGSQL.'.length));
  // Before, it listened on 127.0.0.1 at this port, its socket in /tmp: any local user got in.
  expect(await canConnect('127.0.0.1', port)).toBe(false);
  expect(fs.existsSync(path.join('/tmp', sockets[0]))).toBe(false);
  // What the server itself says it listens on (postmaster.pid: port, socket directory, TCP address).
  const [, , , pidPort, pidSocketDir, tcpAddress] = fs
    .readFileSync(path.join(path.dirname(socketDir!), 'postgres', 'postmaster.pid'), 'utf8')
    .split('\n');
  expect({ pidPort: Number(pidPort), pidSocketDir, tcpAddress: tcpAddress.trim() }).toEqual({
    pidPort: port,
    pidSocketDir: socketDir,
    tcpAddress: '',
  });

  if (process.getuid?.() === 0) {
    // Another local user, as in the attack (`psql -h 127.0.0.1 -p <port>` as nobody), finds no way in.
    expect(await pgIsReadyAs('nobody', '127.0.0.1', port)).toBe(2);
    expect(await pgIsReadyAs('nobody', socketDir!, port)).toBe(2);
    expect(await pgIsReadyAs('postgres', socketDir!, port)).toBe(0); // its owner does
  }

  // FerretDB reaches it through the socket.
  const client = await MongoClient.connect(process.env.MONGODB_URL!);
  try {
    await client.db('local_services').collection('probe').insertOne({ ok: 1 });
    expect(await client.db('local_services').collection('probe').countDocuments()).toBeGreaterThan(0);
  } finally {
    await client.close();
  }
});
