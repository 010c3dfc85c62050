// Lint rules, including the import layering of DESIGN.md: only apiserver/ and storage/
// may reach storage; controllers, scheduler, kubelet, runtime and network use client/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const storageOnlyFrom = ['**/storage/**', '../storage/*', '../../storage/*'];
const apiserverInternals = ['**/apiserver/**', '../apiserver/*', '../../apiserver/*'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/api/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: [...storageOnlyFrom, ...apiserverInternals, '**/client/**', '**/cli/**'], message: 'api/ is the bottom layer: it imports nothing else of k8ts.' },
      ] }],
    },
  },
  {
    files: ['src/client/**/*.ts', 'src/controllers/**/*.ts', 'src/scheduler/**/*.ts', 'src/kubelet/**/*.ts', 'src/runtime/**/*.ts', 'src/network/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: [...storageOnlyFrom, ...apiserverInternals], message: 'Only apiserver/ and storage/ touch storage; other components talk to the API through client/.' },
      ] }],
    },
  },
  {
    files: ['src/storage/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: [...apiserverInternals, '**/client/**', '**/cli/**'], message: 'storage/ sits below the apiserver and knows nothing above it.' },
      ] }],
    },
  },
);
