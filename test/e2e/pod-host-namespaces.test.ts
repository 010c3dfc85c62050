/**
 * e2e: a pod's Linux namespaces, hostname and resolver as upstream's kubelet sets them —
 * hostNetwork (the node's interfaces, the node's IP as pod IP, the node's /etc/hosts and hostAliases),
 * hostPID, hostIPC, shareProcessNamespace (the pause process is PID 1), hostname (and
 * setHostnameAsFQDN), and
 * /etc/resolv.conf for each dnsPolicy with dnsConfig merged and cut to the resolver's
 * limits — seen with the real kubectl against a real `k8ts server --cluster-dns`.
 */
import assert from 'node:assert/strict';
import { readFileSync, readlinkSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { after, before, describe, test } from 'node:test';
import type { Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { startCluster } from '../support/cluster.js';
import { busyboxContainer, busyboxPod, listManifest } from '../support/manifests.js';
import { pollUntil } from '../support/poll.js';

const CLUSTER_DNS = '198.19.0.10';
const CLUSTER_SEARCH = ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'];

/** The host resolver the node's pods fall back to: nameservers, the last search line, options. */
function hostResolver(): { servers: string[]; searches: string[]; options: string[] } {
  const lines = readFileSync('/etc/resolv.conf', 'utf8').split('\n').filter((l) => !l.startsWith('#') && !l.startsWith(';'));
  const fields = (keyword: string): string[][] => lines.map((l) => l.trim().split(/\s+/)).filter((f) => f[0] === keyword).map((f) => f.slice(1));
  return {
    servers: fields('nameserver').map((f) => f[0] ?? ''),
    searches: (fields('search').at(-1) ?? []).filter((s) => s !== '.').map((s) => s.replace(/\.$/, '')),
    options: fields('options').flat(),
  };
}

/** resolv.conf read in a container, as its search, nameserver and options fields. */
function parseResolv(text: string): { servers: string[]; searches: string[]; options: string[] } {
  const lines = text.split('\n').map((l) => l.trim().split(/\s+/));
  return {
    servers: lines.filter((f) => f[0] === 'nameserver').map((f) => f[1] ?? ''),
    searches: lines.filter((f) => f[0] === 'search').flatMap((f) => f.slice(1)),
    options: lines.filter((f) => f[0] === 'options').flatMap((f) => f.slice(1)),
  };
}

/** A busybox pod on `node` (no grace period) sleeping in each of `containers`, with `extra` merged into its spec. */
function pod(name: string, node: string, extra: Partial<PodSpec> = {}, containers = ['main']): Pod {
  return busyboxPod(name, node, { containers: containers.map((c) => busyboxContainer(c)), spec: { terminationGracePeriodSeconds: 0, ...extra } });
}

describe('pods: host namespaces, hostname and DNS', () => {
  let cluster: TestCluster;
  const k = bindKubectl(() => cluster, 'kubectl');
  const execOut = async (name: string, script: string, container = 'main'): Promise<string> => (await k.ok(['exec', name, '-c', container, '--', 'sh', '-c', script])).trim();
  const running = (name: string): Promise<string> =>
    pollUntil(`pod ${name} running`, async () => ((await k.ok(['get', 'pod', name, '-o', 'jsonpath={.status.phase}'])) === 'Running' ? 'ok' : undefined), 90_000);
  const resolvConf = async (name: string): Promise<ReturnType<typeof parseResolv>> => parseResolv(await execOut(name, 'cat /etc/resolv.conf'));
  const events = (name: string, reason: string): Promise<string> =>
    k.ok(['get', 'events', '--field-selector', `involvedObject.name=${name},reason=${reason}`, '-o', 'jsonpath={range .items[*]}{.type} {.message}{"\\n"}{end}']);
  const searches30 = Array.from({ length: 30 }, (_, i) => `s${i}.example`);
  const host = hostResolver();

  before(async () => {
    cluster = await startCluster(['--cluster-dns', CLUSTER_DNS]);
    const node = await pollUntil('the node', async () => (await k.ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])) || undefined);
    const pods = [
      pod('plain', node),
      pod('host-net', node, { hostNetwork: true, hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.local', 'bar.local'] }] }),
      pod('host-net-cluster-dns', node, { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }),
      pod('host-pid-ipc', node, { hostPID: true, hostIPC: true }),
      pod('shared-pid', node, { shareProcessNamespace: true }, ['main', 'other']),
      pod('named', node, { hostname: 'box', subdomain: 'grp' }),
      pod('named-fqdn', node, { hostname: 'box', subdomain: 'grp', setHostnameAsFQDN: true }),
      pod('named-too-long', node, { hostname: 'b'.repeat(40), subdomain: 'grp', setHostnameAsFQDN: true }),
      pod('dns-default', node, { dnsPolicy: 'Default' }),
      pod('dns-none', node, { dnsPolicy: 'None', dnsConfig: { nameservers: ['192.0.2.1'], searches: ['a.example'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } }),
      pod('dns-merged', node, { dnsConfig: { nameservers: ['192.0.2.1', '192.0.2.2', '192.0.2.3'], searches: ['b.example'], options: [{ name: 'ndots', value: '1' }, { name: 'rotate' }] } }),
      pod('dns-long-search', node, { dnsConfig: { searches: searches30 } }),
    ];
    await k.ok(['apply', '-f', '-'], { input: listManifest(pods) });
  });
  after(() => cluster.stop());

  test('hostNetwork: the node\'s network namespace and interfaces, the node\'s IP as pod IP, its /etc/hosts with the hostAliases', async () => {
    await running('host-net');
    const [podIP, hostIP] = (await k.ok(['get', 'pod', 'host-net', '-o', 'jsonpath={.status.podIP} {.status.hostIP}'])).split(' ');
    assert.ok(hostIP, 'hostIP is set');
    assert.equal(podIP, hostIP);
    assert.equal(await execOut('host-net', 'readlink /proc/self/ns/net'), readlinkSync('/proc/self/ns/net'));
    const interfaces = (await execOut('host-net', 'cat /proc/net/dev')).split('\n').slice(2).map((l) => l.trim().split(':')[0]);
    const nodeInterface = Object.entries(networkInterfaces()).find(([, addresses]) => addresses?.some((a) => a.address === hostIP))?.[0];
    for (const name of ['lo', nodeInterface ?? 'the interface of the host IP']) assert.ok(interfaces.includes(name), `${name} in ${interfaces.join(' ')}`);
    const hosts = await execOut('host-net', 'cat /etc/hosts');
    const nodeHosts = readFileSync('/etc/hosts', 'utf8');
    assert.equal(`${hosts}\n`, `# Kubernetes-managed hosts file (host network).\n${nodeHosts}\n# Entries added by HostAliases.\n10.1.2.3\tfoo.local\tbar.local\n`);
  });

  test('a pod on the pod network has namespaces of its own', async () => {
    await running('plain');
    for (const ns of ['net', 'pid', 'ipc']) assert.notEqual(await execOut('plain', `readlink /proc/self/ns/${ns}`), readlinkSync(`/proc/self/ns/${ns}`), ns);
    assert.notEqual(await k.ok(['get', 'pod', 'plain', '-o', 'jsonpath={.status.podIP}']), await k.ok(['get', 'pod', 'plain', '-o', 'jsonpath={.status.hostIP}']));
  });

  test('hostPID and hostIPC: the node\'s PID and IPC namespaces, the node\'s processes visible', async () => {
    await running('host-pid-ipc');
    assert.equal(await execOut('host-pid-ipc', 'readlink /proc/self/ns/pid'), readlinkSync('/proc/self/ns/pid'));
    assert.equal(await execOut('host-pid-ipc', 'readlink /proc/self/ns/ipc'), readlinkSync('/proc/self/ns/ipc'));
    assert.match(await execOut('host-pid-ipc', `tr '\\0' ' ' < /proc/${process.pid}/cmdline`), /node/);
  });

  test('shareProcessNamespace: containers see each other\'s processes and the pause process is PID 1', async () => {
    await running('shared-pid');
    assert.match(await execOut('shared-pid', "tr '\\0' ' ' < /proc/1/cmdline"), /catatonit/);
    assert.equal(await execOut('shared-pid', 'readlink /proc/self/ns/pid', 'main'), await execOut('shared-pid', 'readlink /proc/self/ns/pid', 'other'));
    const sleepers = await execOut('shared-pid', "for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline; echo; done | grep -c '^sleep 3600'", 'other');
    assert.equal(sleepers, '2');
    assert.match(await execOut('plain', "tr '\\0' ' ' < /proc/1/cmdline"), /^sleep 3600/);
  });

  test('hostname and subdomain: `hostname` prints spec.hostname; /etc/hosts names the FQDN first', async () => {
    await running('named');
    assert.equal(await execOut('named', 'hostname'), 'box');
    const podIP = await k.ok(['get', 'pod', 'named', '-o', 'jsonpath={.status.podIP}']);
    assert.ok((await execOut('named', 'cat /etc/hosts')).includes(`${podIP}\tbox.grp.default.svc.cluster.local\tbox`));
    assert.equal(await execOut('plain', 'hostname'), 'plain');
  });

  test('setHostnameAsFQDN: `hostname` prints the FQDN; one over 64 characters fails the sandbox', async () => {
    await running('named-fqdn');
    assert.equal(await execOut('named-fqdn', 'hostname'), 'box.grp.default.svc.cluster.local');
    const fqdn = `${'b'.repeat(40)}.grp.default.svc.cluster.local`;
    const failed = await pollUntil('FailedCreatePodSandBox', async () => (await events('named-too-long', 'FailedCreatePodSandBox')) || undefined, 60_000);
    assert.equal(failed.trim(), `Warning Failed to create pod sandbox: failed to construct FQDN from pod hostname and cluster domain, FQDN ${fqdn} is too long (64 characters is the max, ${fqdn.length} characters requested)`);
    assert.equal(await k.ok(['get', 'pod', 'named-too-long', '-o', 'jsonpath={.status.phase}']), 'Pending');
  });

  test('ClusterFirst: the cluster DNS, the cluster search path then the host\'s, ndots:5', async () => {
    await running('plain');
    assert.deepEqual(await resolvConf('plain'), { servers: [CLUSTER_DNS], searches: [...new Set([...CLUSTER_SEARCH, ...host.searches])], options: ['ndots:5'] });
    await running('host-net-cluster-dns');
    assert.deepEqual(await resolvConf('host-net-cluster-dns'), await resolvConf('plain'));
  });

  test('Default, and ClusterFirst on the host network: the host\'s resolver', async () => {
    await running('dns-default');
    assert.deepEqual(await resolvConf('dns-default'), host);
    await running('host-net');
    assert.deepEqual(await resolvConf('host-net'), host);
  });

  test('None: only spec.dnsConfig', async () => {
    await running('dns-none');
    assert.deepEqual(await resolvConf('dns-none'), { servers: ['192.0.2.1'], searches: ['a.example'], options: ['ndots:2', 'edns0'] });
  });

  test('dnsConfig merges into ClusterFirst; a 4th nameserver is dropped with a DNSConfigForming event', async () => {
    await running('dns-merged');
    assert.deepEqual(await resolvConf('dns-merged'), {
      servers: [CLUSTER_DNS, '192.0.2.1', '192.0.2.2'],
      searches: [...new Set([...CLUSTER_SEARCH, ...host.searches, 'b.example'])],
      options: ['ndots:1', 'rotate'],
    });
    assert.match(await events('dns-merged', 'DNSConfigForming'),
      new RegExp(`^Warning Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${CLUSTER_DNS} 192\\.0\\.2\\.1 192\\.0\\.2\\.2$`, 'm'));
  });

  test('more than 32 search domains are cut to 32 with a DNSConfigForming event', async () => {
    await running('dns-long-search');
    const applied = [...new Set([...CLUSTER_SEARCH, ...host.searches, ...searches30])].slice(0, 32);
    assert.deepEqual((await resolvConf('dns-long-search')).searches, applied);
    assert.match(await events('dns-long-search', 'DNSConfigForming'),
      new RegExp(`^Warning Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${applied.join(' ').replaceAll('.', '\\.')}$`, 'm'));
  });
});
