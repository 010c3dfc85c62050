import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCriLog, parseCriLogLine } from './criLog.js';
import { formatEntry, parseLogOptions, selectEntries, LogOptionsError } from './logOptions.js';

const LOG = [
  '2024-05-01T10:00:00.000000001Z stdout F one',
  '2024-05-01T10:00:01.5Z stderr P tw',
  '2024-05-01T10:00:02.5Z stdout F three',
  '2024-05-01T10:00:03.5Z stderr F o',
  '2024-05-01T10:00:04Z stdout F ',
  'garbage',
  '2024-05-01T10:00:05Z stdout P unfinished',
  '',
].join('\n');

describe('CRI log format', () => {
  it('parses a line into time, stream, partial flag and message', () => {
    assert.deepEqual(parseCriLogLine('2024-05-01T10:00:00.123456789Z stdout F hello world'), {
      timestamp: '2024-05-01T10:00:00.123456789Z',
      timeMs: Date.parse('2024-05-01T10:00:00.123Z'),
      stream: 'stdout',
      partial: false,
      message: 'hello world',
    });
    assert.equal(parseCriLogLine('2024-05-01T10:00:00Z stderr P a b')?.partial, true);
    assert.equal(parseCriLogLine('not a log line'), undefined);
    assert.equal(parseCriLogLine('2024-05-01T10:00:00Z stdin F x'), undefined);
  });

  it('joins partial chunks per stream and keeps empty lines', () => {
    const entries = parseCriLog(LOG);
    assert.deepEqual(entries.map((e) => e.text), ['one\n', 'three\n', 'two\n', '\n']);
    assert.equal(entries[2]?.timestamp, '2024-05-01T10:00:03.5Z');
  });
});

describe('log options', () => {
  const entries = parseCriLog(LOG);
  const now = new Date('2024-05-01T10:00:05Z');

  it('tails the last lines, then keeps those since a time', () => {
    assert.deepEqual(selectEntries(entries, parseLogOptions(new URLSearchParams('tailLines=2'))).map((e) => e.text), ['two\n', '\n']);
    assert.deepEqual(selectEntries(entries, parseLogOptions(new URLSearchParams('tailLines=0'))), []);
    const since = parseLogOptions(new URLSearchParams('sinceTime=2024-05-01T10:00:02Z'));
    assert.deepEqual(selectEntries(entries, since).map((e) => e.text), ['three\n', 'two\n', '\n']);
    const sinceSeconds = parseLogOptions(new URLSearchParams('sinceSeconds=2'), now);
    assert.deepEqual(selectEntries(entries, sinceSeconds).map((e) => e.text), ['two\n', '\n']);
  });

  it('prefixes timestamps as written in the log', () => {
    const options = parseLogOptions(new URLSearchParams('timestamps=true'));
    assert.equal(formatEntry(entries[0]!, options), '2024-05-01T10:00:00.000000001Z one\n');
    assert.equal(formatEntry(entries[0]!, parseLogOptions(new URLSearchParams())), 'one\n');
  });

  it('rejects bad values', () => {
    assert.throws(() => parseLogOptions(new URLSearchParams('tailLines=-1')), LogOptionsError);
    assert.throws(() => parseLogOptions(new URLSearchParams('limitBytes=0')), LogOptionsError);
    assert.throws(() => parseLogOptions(new URLSearchParams('sinceSeconds=1&sinceTime=2024-05-01T10:00:00Z')), LogOptionsError);
    assert.throws(() => parseLogOptions(new URLSearchParams('sinceTime=yesterday')), LogOptionsError);
  });
});
