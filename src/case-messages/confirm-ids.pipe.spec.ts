import { BadRequestException } from '@nestjs/common';
import { ConfirmIdsPipe } from './confirm-ids.pipe';

describe('ConfirmIdsPipe', () => {
  const pipe = new ConfirmIdsPipe();
  const messageOf = (value: unknown): string => {
    try {
      pipe.transform(value);
    } catch (error) {
      expect(error).toBeInstanceOf(BadRequestException);
      return (error as BadRequestException).message;
    }
    throw new Error('expected a 400');
  };

  it('passes a valid array through unchanged', () => {
    expect(pipe.transform([4377, 4378, 1, 2147483647])).toEqual([4377, 4378, 1, 2147483647]);
    expect(pipe.transform(Array(1000).fill(1))).toHaveLength(1000);
  });

  it.each([
    [undefined, '"value" is required'],
    [{ ids: [1] }, '"value" must be an array'],
    ['4377', '"value" must be an array'],
    [[], '"value" must contain at least 1 items'],
    [Array(1001).fill(1), '"value" must contain less than or equal to 1000 items'],
    [['4377'], '"value" at position 0 fails because ["0" must be a number]'],
    [[1, null], '"value" at position 1 fails because ["1" must be a number]'],
    [[1, 2, 1.5], '"value" at position 2 fails because ["2" must be an integer]'],
    [[0], '"value" at position 0 fails because ["0" must be a positive number]'],
    [[-3], '"value" at position 0 fails because ["0" must be a positive number]'],
    [[2 ** 31], '"value" at position 0 fails because ["0" must be less than or equal to 2147483647]'],
    [[true], '"value" at position 0 fails because ["0" must be a number]'],
  ])('rejects %j', (value, message) => {
    expect(messageOf(value)).toBe(message);
  });
});
