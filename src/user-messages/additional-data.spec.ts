import { DomainError } from '../common/domain-error';
import { additionalDataText, checkDashboardContent, readAdditionalData, storeAdditionalData } from './additional-data';

describe('additional data', () => {
  it('keeps an object with its key order, and a text that holds JSON as a text', () => {
    const given = { content: 'c', title: 't', extra: [1] };
    const stored = storeAdditionalData(given);
    expect(stored).toEqual({ additionalData: '{"content":"c","title":"t","extra":[1]}', additionalDataIsObject: true });
    expect(Object.keys(readAdditionalData(stored) as object)).toEqual(['content', 'title', 'extra']);
    expect(readAdditionalData(storeAdditionalData('{"a":1}'))).toBe('{"a":1}');
    expect(storeAdditionalData(undefined)).toEqual({ additionalData: null, additionalDataIsObject: false });
  });

  it('shows an object in an e-mail as its title and content', () => {
    expect(additionalDataText(readAdditionalData(storeAdditionalData({ title: 'T', content: 'C' })))).toBe('T\n\nC');
    expect(additionalDataText(readAdditionalData(storeAdditionalData('plain')))).toBe('plain');
  });

  it.each([
    [{ content: 'c' }, 'additionalData.title'],
    [{ title: 't', content: 'c', imageBase64: 'abc' }, 'additionalData.imageBase64'],
    [{ title: 't', content: 'c', pictureLink: 'ftp://x/y' }, 'additionalData.pictureLink'],
    [{ title: 't', content: 'c', messageLink: 'javascript:alert(1)' }, 'additionalData.messageLink'],
    [{ title: 't', content: 'c', messageLink: 7 }, 'additionalData.messageLink'],
  ])('refuses %j naming %s', (value, field) => {
    expect(() => checkDashboardContent(value)).toThrow(DomainError);
    expect(() => checkDashboardContent(value)).toThrow(`"${field}"`);
  });

  it('accepts the optional fields empty or null, and texts unchecked', () => {
    expect(() => checkDashboardContent({ title: 't', content: 'c', imageBase64: null, pictureLink: '', messageLink: '' })).not.toThrow();
    expect(() => checkDashboardContent('any text')).not.toThrow();
  });
});
