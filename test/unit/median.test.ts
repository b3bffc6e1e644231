import { describe, expect, it } from 'vitest';
import { median } from '../../shared/median';

describe('median', () => {
  it('is 0 for no values', () => {
    expect(median([])).toBe(0);
  });

  it('is the middle value of an odd count, whatever the order', () => {
    expect(median([7])).toBe(7);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([5, -1, 10, 2, 2])).toBe(2);
  });

  it('is the mean of the middle two for an even count', () => {
    expect(median([1, 2])).toBe(1.5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 0, 0, 10])).toBe(5);
  });

  it('sorts numerically, not as strings', () => {
    expect(median([10, 9, 100])).toBe(10);
  });

  it('leaves its input alone', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});
