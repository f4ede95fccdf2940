/** Workflow definitions: YAML, JSON and the TypeScript builder give the same checked structure. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defineWorkflow, definitionHash, parseDefinitionText, parseDuration, Registry } from '../../src/workflow/index.ts';
import { createMailer, registerBuiltinActions } from '../../src/actions/index.ts';

const registry = new Registry();
registerBuiltinActions(registry, createMailer({ smtpUrl: undefined, from: 'test@localhost' }));

const yaml = `
id: greet
name: Greeting
triggers:
  - type: webhook
    key: greet
steps:
  - id: hello
    type: action
    action: core.set
    input:
      message: "Hello {{ input.name }}"
  - id: done
    type: end
    output: "{{ steps.hello.message }}"
`;

describe('workflow definitions', () => {
  test('YAML, JSON and the builder produce the same definition and the same version hash', () => {
    const fromYaml = parseDefinitionText(yaml, registry);
    const fromJson = parseDefinitionText(JSON.stringify(fromYaml), registry);
    const fromBuilder = defineWorkflow({ id: 'greet', name: 'Greeting', triggers: [{ type: 'webhook', key: 'greet' }] })
      .action('hello', 'core.set', { input: { message: 'Hello {{ input.name }}' } })
      .end('done', { output: '{{ steps.hello.message }}' })
      .build(registry);
    assert.deepEqual(fromJson, fromYaml);
    assert.deepEqual(fromBuilder, fromYaml);
    assert.equal(definitionHash(fromBuilder), definitionHash(fromYaml));
    assert.notEqual(definitionHash({ ...fromYaml, name: 'Other' }), definitionHash(fromYaml));
  });

  test('defaults are applied: a manual trigger, retry policy values', () => {
    const def = parseDefinitionText('id: x\nsteps:\n  - id: a\n    type: action\n    action: core.set\n    retry: { maxAttempts: 4 }\n', registry);
    assert.deepEqual(def.triggers, [{ type: 'manual' }]);
    assert.deepEqual((def.steps[0] as { retry?: unknown }).retry, { maxAttempts: 4, initialDelay: '1s', maxDelay: '1h', factor: 2 });
  });

  const invalid: [string, string, RegExp][] = [
    ['not YAML at all', 'id: [unclosed', /not valid YAML or JSON/],
    ['no steps', 'id: x\nsteps: []', /at steps: a workflow needs at least one step/],
    ['a bad id', 'id: "has space"\nsteps: [{id: a, type: end}]', /at id: must be letters/],
    ['an unknown step type', 'id: x\nsteps: [{id: a, type: teleport}]', /at steps\[0\]\.type/],
    ['an unknown action', 'id: x\nsteps: [{id: a, type: action, action: mail.sendd}]', /at steps\[0\]\.action: unknown action "mail.sendd"/],
    ['an unknown field', 'id: x\nsteps: [{id: a, type: end, outptu: 1}]', /at steps\[0\]/],
    ['a duplicate step id', 'id: x\nsteps: [{id: a, type: end}, {id: a, type: end}]', /at steps\[1\]\.id: step id "a" is used twice/],
    ['a dangling next', 'id: x\nsteps: [{id: a, type: action, action: core.set, next: b}]', /at steps\[0\]\.next: there is no step "b"/],
    ['a broken condition', 'id: x\nsteps: [{id: a, type: branch, cases: [{when: "input.x >", next: a}]}]', /at steps\[0\]\.cases\[0\]\.when: .*position/],
    ['a broken template', 'id: x\nsteps: [{id: a, type: action, action: core.set, input: {lines: [1, "{{ (" ]}}]', /at steps\[0\]\.input\.lines\[1\]/],
    ['a wait with two kinds', 'id: x\nsteps: [{id: a, type: wait, duration: 1h, event: paid}]', /exactly one of "duration", "until" or "event"/],
    ['a bad duration', 'id: x\nsteps: [{id: a, type: wait, duration: "3 fortnights"}]', /at steps\[0\]\.duration: must be a duration/],
    ['a bad cron', 'id: x\ntriggers: [{type: schedule, cron: "99 * * * *"}]\nsteps: [{id: a, type: end}]', /at triggers\[0\]\.cron/],
    ['a bad time zone', 'id: x\ntriggers: [{type: schedule, cron: "0 9 * * *", timezone: "Mars/Olympus"}]\nsteps: [{id: a, type: end}]', /triggers\[0\]/],
    ['a webhook key used twice', 'id: x\ntriggers: [{type: webhook, key: k}, {type: webhook, key: k}]\nsteps: [{id: a, type: end}]', /at triggers\[1\]\.key/],
  ];
  for (const [name, text, message] of invalid) {
    test(`rejects ${name}, naming where`, () => {
      assert.throws(() => parseDefinitionText(text, registry), (error: Error & { code?: string }) => {
        assert.ok(error.code === 'WORKFLOW_INVALID' || error.code === 'WORKFLOW_SYNTAX', error.code);
        assert.match(error.message, message);
        return true;
      });
    });
  }

  test('durations read the way people write them', () => {
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('3d'), 259_200_000);
    assert.equal(parseDuration('1w'), 604_800_000);
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('soon'), null);
    assert.equal(parseDuration('5 parsecs'), null);
  });
});
