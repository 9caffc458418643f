// eslint-disable-next-line @typescript-eslint/no-require-imports
const nginx = require('../../bench/nginx.cjs') as {
  NGINX: string | undefined;
  localConfig(upstreamPorts: number[], listenPort: number, dir: string): string;
  startNginx(upstreamPorts: number[], listenPort: number): Promise<{ url: string; stop(): Promise<void> }>;
};

export const { localConfig, startNginx } = nginx;

/**
 * `describe` when Debian's nginx is installed, else a loud skip — or a failure when
 * REQUIRE_NGINX=1 (CI installs it), so CI cannot pass by quietly skipping.
 */
export function describeWithNginx(name: string, body: () => void): void {
  if (nginx.NGINX) return describe(name, body);
  if (process.env.REQUIRE_NGINX === '1') {
    return describe(name, () => it('needs nginx (REQUIRE_NGINX=1)', () => {
      throw new Error('REQUIRE_NGINX=1 but nginx is not installed (apt-get install nginx-light)');
    }));
  }
  process.stderr.write(`\n*** SKIPPED "${name}": install nginx (apt-get install nginx-light) to run it (REQUIRE_NGINX=1 makes this a failure) ***\n\n`);
  describe.skip(name, body);
}
