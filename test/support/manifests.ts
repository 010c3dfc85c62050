/**
 * Test support: the manifests e2e tests apply, as YAML text kubectl reads from stdin.
 */

/** A Deployment `name` with label `app: name`, `replicas` replicas and one container `main`. */
export function deploymentManifest(name: string, replicas = 2, image = 'nginx:1.25'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: main
        image: ${image}
`;
}
