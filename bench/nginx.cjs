// nginx in front of local instances, from deploy/nginx.conf (the production example) with only
// its addresses changed: used by the benchmark (--instances) and by test/load-balancer.e2e-spec.ts.
const { spawn, spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { connect } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => spawnSync(path, ['-v']).status === 0);

/** deploy/nginx.conf, listening on 127.0.0.1:listenPort, in front of 127.0.0.1:<each port>, writing only under `dir`. */
function localConfig(upstreamPorts, listenPort, dir) {
  const production = readFileSync(join(__dirname, '..', 'deploy', 'nginx.conf'), 'utf8');
  const replace = (text, pattern, replacement) => {
    if (!pattern.test(text)) throw new Error(`deploy/nginx.conf no longer matches ${pattern}`);
    return text.replace(pattern, replacement);
  };
  let config = replace(production, /^\s*server api:3000 ([^;]*);$/m, (_line, params) => upstreamPorts.map((port) => `    server 127.0.0.1:${port} ${params};`).join('\n'));
  config = replace(config, /^(\s*)listen 80 reuseport;$/m, `$1listen 127.0.0.1:${listenPort};`);
  config = replace(config, /^pid .*;$/m, `pid ${join(dir, 'nginx.pid')};\nerror_log ${join(dir, 'error.log')} warn;`);
  // Temporary files where this user may write (the defaults are under /var/lib/nginx).
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${join(dir, kind)};`).join('\n');
  return replace(config, /^http \{$/m, `http {\n${temp}`);
}

/** Starts nginx in the foreground of a child process; resolves once it accepts connections. */
async function startNginx(upstreamPorts, listenPort) {
  if (!NGINX) throw new Error('nginx is not installed (Debian: apt-get install nginx-light)');
  const dir = mkdtempSync(join(tmpdir(), 'chopchop-nginx-'));
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, localConfig(upstreamPorts, listenPort, dir));
  const check = spawnSync(NGINX, ['-t', '-q', '-p', dir, '-c', file], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx -t: ${check.stderr}`);
  const child = spawn(NGINX, ['-p', dir, '-c', file, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const deadline = Date.now() + 5000;
  while (!(await accepts(listenPort))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`nginx did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${listenPort}`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGQUIT'); // graceful: finishes the requests in flight
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function accepts(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

module.exports = { NGINX, localConfig, startNginx };
