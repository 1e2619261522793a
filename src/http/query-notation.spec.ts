import { camelCaseName, camelCaseQuery } from './query-notation';

describe('query parameter notation', () => {
  it.each([
    ['accessToken', 'accessToken'],
    ['access_token', 'accessToken'],
    ['access-token', 'accessToken'],
    ['after_id', 'afterId'],
    ['after-id', 'afterId'],
    ['guid', 'guid'],
    ['un__confirmed', 'unConfirmed'],
  ])('reads %s as %s', (given, expected) => {
    expect(camelCaseName(given)).toBe(expected);
  });

  it('renames every parameter and keeps its value', () => {
    expect(camelCaseQuery({ access_token: 't', 'after-id': '5', limit: ['1', '2'] })).toEqual({ accessToken: 't', afterId: '5', limit: ['1', '2'] });
  });

  it('refuses one parameter under two notations, naming both', () => {
    expect(() => camelCaseQuery({ afterId: '1', after_id: '2' })).toThrow('"afterId" is given twice, as "afterId" and "after_id": send it once');
  });

  it('leaves a name it does not know to the validation, which refuses it', () => {
    expect(camelCaseQuery({ 'page-size': '3' })).toEqual({ pageSize: '3' });
  });
});
