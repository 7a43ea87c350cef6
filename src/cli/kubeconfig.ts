// Writes the kubeconfig that points kubectl at a local miniku API server.

/** Kubeconfig text for an unauthenticated local server (`user: {}`), namespace `default`. */
export function kubeconfigText(serverUrl: string, bearerToken?: string): string {
  const user = bearerToken === undefined ? '{}' : `\n    token: ${JSON.stringify(bearerToken)}`;
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: miniku',
    '  cluster:',
    `    server: ${serverUrl}`,
    'contexts:',
    '- name: miniku',
    '  context:',
    '    cluster: miniku',
    '    user: miniku',
    '    namespace: default',
    'current-context: miniku',
    'users:',
    '- name: miniku',
    `  user: ${user}`,
    '',
  ].join('\n');
}
