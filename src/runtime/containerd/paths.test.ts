import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderContainerdConfig } from './config.js';
import { containerdPaths } from './paths.js';

describe('containerd paths and config', () => {
  it('puts the socket under the data dir when the path fits a unix socket', () => {
    assert.equal(containerdPaths('/var/lib/k8ts').socket, '/var/lib/k8ts/containerd/containerd.sock');
  });

  it('falls back to a short per-data-dir socket under /run when the path is too long', () => {
    const long = `/tmp/${'d'.repeat(100)}`;
    const socket = containerdPaths(long).socket;
    assert.match(socket, /^\/run\/k8ts-[0-9a-f]{12}\/containerd\.sock$/);
    assert.equal(containerdPaths(long).socket, socket);
    assert.notEqual(containerdPaths(`${long}x`).socket, socket);
  });

  it('renders a config with our own directories, pause image, runc v2 and CNI dirs', () => {
    const text = renderContainerdConfig({ paths: containerdPaths('/data'), sandboxImage: 'k8ts.local/pause:catatonit' });
    for (const line of [
      'root = "/data/containerd/root"',
      'state = "/data/containerd/state"',
      '  address = "/data/containerd/containerd.sock"',
      '  sandbox_image = "k8ts.local/pause:catatonit"',
      '  restrict_oom_score_adj = true',
      '  runtime_type = "io.containerd.runc.v2"',
      '  bin_dir = "/usr/lib/cni"',
      '  conf_dir = "/data/cni/net.d"',
    ]) assert.ok(text.split('\n').includes(line), line);
  });
});
