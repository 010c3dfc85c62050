/**
 * Upstream's definition names: a Go package path in reverse-domain form plus the type
 * name (`io.k8s.api.apps.v1.Deployment`). Maps `kubernetes-types` module paths
 * (`apps/v1`, `meta/v1`) to those package prefixes.
 */

/** Modules whose Go packages live outside k8s.io/api. */
const PACKAGE_OF_MODULE: Readonly<Record<string, string>> = {
  'meta/v1': 'io.k8s.apimachinery.pkg.apis.meta.v1',
  'api/resource': 'io.k8s.apimachinery.pkg.api.resource',
  runtime: 'io.k8s.apimachinery.pkg.runtime',
  version: 'io.k8s.apimachinery.pkg.version',
  'apiextensions/v1': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1',
};

/** The definition name of IntOrString, which `kubernetes-types` inlines as `number | string`. */
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** Definition names of the apimachinery types the documents refer to by name. */
export const META = {
  deleteOptions: 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions',
  patch: 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch',
  status: 'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
  time: 'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
  microTime: 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
  quantity: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
} as const;

/** The package prefix of a `kubernetes-types` module path (`core/v1` → `io.k8s.api.core.v1`). */
export function packageOfModule(modulePath: string): string {
  return PACKAGE_OF_MODULE[modulePath] ?? `io.k8s.api.${modulePath.split('/').join('.')}`;
}

/** The short type name at the end of a definition name. */
export function shortName(definitionName: string): string {
  return definitionName.slice(definitionName.lastIndexOf('.') + 1);
}
