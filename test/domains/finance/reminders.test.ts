/** Reminder cadences and the local times they fire at. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, localDate, localInstant } from '../../../src/core/dates.ts';
import { parseCadence } from '../../../src/domains/finance/reminders.ts';
import { parseDefinition } from '../../../src/workflow/definition/index.ts';

describe('reminder cadence', () => {
  test('days relative to the due date, sorted, each once', () => {
    assert.deepEqual(parseCadence('-3,0,7,14,30'), [-3, 0, 7, 14, 30]);
    assert.deepEqual(parseCadence(' 14, -3 ,7,7 '), [-3, 7, 14]);
  });
  test('a cadence that is not a list of days is refused with the reason', () => {
    assert.throws(() => parseCadence('weekly'), /Reminder cadence "weekly" must be days relative to the due date/);
    assert.throws(() => parseCadence('3,,7'), /must be days relative/);
    assert.throws(() => parseCadence('-200,0'), /between -90 and 365/);
  });
});

describe('local dates and times', () => {
  test('09:00 in a time zone is the right instant, across daylight saving changes', () => {
    assert.equal(new Date(localInstant('2026-01-16', 9, 'UTC')).toISOString(), '2026-01-16T09:00:00.000Z');
    assert.equal(new Date(localInstant('2026-01-16', 9, 'Europe/Berlin')).toISOString(), '2026-01-16T08:00:00.000Z');
    assert.equal(new Date(localInstant('2026-07-16', 9, 'Europe/Berlin')).toISOString(), '2026-07-16T07:00:00.000Z');
    assert.equal(new Date(localInstant('2026-03-08', 9, 'America/New_York')).toISOString(), '2026-03-08T13:00:00.000Z', 'the day clocks spring forward');
    assert.equal(new Date(localInstant('2026-11-01', 9, 'America/New_York')).toISOString(), '2026-11-01T14:00:00.000Z', 'the day clocks fall back');
  });
  test('calendar arithmetic and the local date of an instant', () => {
    assert.equal(addDays('2026-01-31', 1), '2026-02-01');
    assert.equal(addDays('2026-03-01', -1), '2026-02-28');
    assert.equal(localDate(Date.parse('2026-01-16T23:30:00Z'), 'Asia/Tokyo'), '2026-01-17');
  });
});

describe('a wait for an event until an instant', () => {
  test('"event" with "until" is a wait with a deadline; with "timeout" too it is refused', () => {
    const ok = parseDefinition({ id: 'w', steps: [{ id: 'a', type: 'wait', event: 'paid', key: 'input.n', until: 'input.at', onTimeout: 'b' }, { id: 'b', type: 'end' }] });
    assert.equal(ok.steps[0]?.type, 'wait');
    assert.throws(() => parseDefinition({ id: 'w', steps: [{ id: 'a', type: 'wait', event: 'paid', until: 'input.at', timeout: '1d' }] }), /ends at "timeout" or "until", not both/);
  });
});
