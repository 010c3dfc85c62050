import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandVariables, lookupIn } from './envExpansion.js';

const vars = new Map([
  ['VAR_A', 'A'], ['VAR_B', 'B'], ['VAR_C', 'C'], ['VAR_REF', '$(VAR_A)'], ['VAR_EMPTY', ''], ['BLOCK', '$(VAR_A)'],
]);
const lookup = lookupIn(vars);

test('upstream expansion cases', async (t) => {
  const cases: [string, string][] = [
    ['$(VAR_A)', 'A'],
    ['___$(VAR_B)___', '___B___'],
    ['$(VAR_A)-$(VAR_A)', 'A-A'],
    ['$(VAR_A)$(VAR_B)$(VAR_C)', 'ABC'],
    ['$(VAR_REF)', '$(VAR_A)'],
    ['$(VAR_EMPTY)', ''],
    ['f000-$$VAR_A', 'f000-$VAR_A'],
    ['$$(VAR_A)', '$(VAR_A)'],
    ['$$$(VAR_A)', '$A'],
    ['$$$$(VAR_A)', '$$(VAR_A)'],
    ['$$$$$$$(VAR_A)', '$$$A'],
    ['$(VAR_DNE)', '$(VAR_DNE)'],
    ['$(VAR_A', '$(VAR_A'],
    ['$(VAR_A$(VAR_B)', '$(VAR_A$(VAR_B)'],
    ['$(VAR_A$(VAR_B))', '$(VAR_A$(VAR_B))'],
    ['$()', '$()'],
    ['$(', '$('],
    ['$', '$'],
    ['foo$', 'foo$'],
    ['$VAR_A', '$VAR_A'],
    ['$)', '$)'],
    ['$$', '$'],
    ['$$$', '$$'],
    ['VAR_A$$', 'VAR_A$'],
    ['$(VAR_A)$', 'A$'],
    ['f00__(VAR_A)__', 'f00__(VAR_A)__'],
    ['$(BLOCK)-$(VAR_B)', '$(VAR_A)-B'],
    ['', ''],
  ];
  for (const [input, want] of cases) await t.test(JSON.stringify(input), () => assert.equal(expandVariables(input, lookup), want));
});

test('lookupIn takes the first context that has the name', () => {
  const l = lookupIn(new Map([['X', '1']]), new Map([['X', '2'], ['Y', '3']]));
  assert.equal(expandVariables('$(X)$(Y)$(Z)', l), '13$(Z)');
});
