import { describe, expect, it } from 'vitest';
import { nodeVersionProblem } from './runtime.js';

describe('nodeVersionProblem', () => {
  it('accepts 22.12 and later', () => {
    for (const v of ['22.12.0', 'v22.12.0', '22.13.1', '23.0.0', '24.22.3', '30.1.0'])
      expect(nodeVersionProblem(v, 'origin')).toBeUndefined();
  });

  it('refuses older versions with a message that names the tier, the minimum and the fix', () => {
    for (const v of ['20.20.2', 'v22.11.9', '22.0.0', '18.19.0']) {
      const problem = nodeVersionProblem(v, 'transcoder');
      expect(problem).toContain("Vidra's transcoder needs Node.js 22.12.0 or later");
      expect(problem).toContain(v);
      expect(problem).toContain('.node/bin');
    }
  });
});
