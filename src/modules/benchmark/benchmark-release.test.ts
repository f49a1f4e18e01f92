import { otherFirmChanges } from './benchmark-release';
import { releaseDue, type ShapeChanges } from './release-rules';

const ME = 'firm-me';
const THEM = 'firm-them';

/** One organisation's rows entering (+1) or leaving (−1) a shape. */
function ev(org: string, delta: number, score: number, code = 'D1', firm = THEM) {
  return { code, score, delta, firm_id: firm, organisation_id: org };
}

describe('otherFirmChanges', () => {
  it.each([
    // [what, events, entered / left / changed]
    ['a first close enters', [ev('a', 1, 40)], { entered: 1, left: 0, rescored: 0 }],
    ['an exclusion leaves', [ev('a', -1, 40)], { entered: 0, left: 1, rescored: 0 }],
    ['a re-close with a new score changes', [ev('a', -1, 40), ev('a', 1, 42)], { entered: 0, left: 0, rescored: 1 }],
    [
      'a re-close with the same score is no change',
      [ev('a', -1, 40), ev('a', 1, 40)],
      { entered: 0, left: 0, rescored: 0 },
    ],
    [
      'excluded and included again is no change',
      [ev('a', -1, 40), ev('a', 1, 40), ev('a', -1, 40), ev('a', 1, 40)],
      { entered: 0, left: 0, rescored: 0 },
    ],
    [
      'the asking firm’s own changes do not count',
      [ev('a', 1, 40, 'D1', ME), ev('b', -1, 7, 'D1', ME)],
      { entered: 0, left: 0, rescored: 0 },
    ],
    [
      'an organisation counts once over its values',
      [ev('a', 1, 40, 'D1'), ev('a', 1, 55, 'D2'), ev('b', -1, 3, 'D1'), ev('b', -1, 9, 'D2')],
      { entered: 1, left: 1, rescored: 0 },
    ],
  ] as Array<[string, ReturnType<typeof ev>[], ShapeChanges]>)('%s', (_what, events, want) => {
    expect(otherFirmChanges(events, ME)).toEqual(want);
  });
});

describe('releaseDue (k = 5)', () => {
  it.each([
    // [entered, left, rescored, due?]  — moved = entered + left must be 0 or ≥ 5, and all ≥ 5
    [0, 0, 4, false], // 4 < 5
    [0, 0, 5, true], // five score changes: their sum, no one organisation
    [1, 0, 4, false], // one entry beside four small moves would show the entry's score
    [0, 1, 4, false], // the same for one exit
    [4, 0, 9, false], // moved 4: still below k
    [5, 0, 0, true], // five entries
    [3, 2, 0, true], // moved 5
    [2, 3, 7, true], // moved 5, 12 in all
  ])('entered %d, left %d, rescored %d → %s', (entered, left, rescored, due) => {
    expect(releaseDue({ entered, left, rescored }, 5)).toBe(due);
  });
});
