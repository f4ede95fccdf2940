export { registerBuiltinSkills, draftDocumentSkill, toReadOutput, type BuiltinSkills } from './skills/skills.ts';
export { AiStore } from './skills/store.ts';
export { createLearner, type Learner } from './skills/learn.ts';
