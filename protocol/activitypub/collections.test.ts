import { describe, expect, it } from 'vitest';
import { orderedCollection, orderedCollectionPage } from './collections.js';

const ID = 'https://vidra.example/video-channels/harbour/followers';

describe('ordered collections', () => {
  it('give the size and the first page, with no items inline', () => {
    expect(orderedCollection(ID, 23)).toEqual({
      '@context': 'https://www.w3.org/ns/activitystreams',
      id: ID,
      type: 'OrderedCollection',
      totalItems: 23,
      first: `${ID}?page=1`,
    });
  });

  it('link a middle page both ways', () => {
    expect(orderedCollectionPage(ID, 2, 23, ['https://a.example/users/x'])).toEqual({
      '@context': 'https://www.w3.org/ns/activitystreams',
      id: `${ID}?page=2`,
      type: 'OrderedCollectionPage',
      partOf: ID,
      totalItems: 23,
      prev: `${ID}?page=1`,
      next: `${ID}?page=3`,
      orderedItems: ['https://a.example/users/x'],
    });
  });

  it('end without next, and an empty collection has one empty page', () => {
    expect(orderedCollectionPage(ID, 3, 23, ['x', 'y', 'z'])).not.toHaveProperty('next');
    expect(orderedCollectionPage(ID, 2, 20, [])).not.toHaveProperty('next');
    expect(orderedCollectionPage(ID, 1, 0, [])).toEqual({
      '@context': 'https://www.w3.org/ns/activitystreams',
      id: `${ID}?page=1`,
      type: 'OrderedCollectionPage',
      partOf: ID,
      totalItems: 0,
      orderedItems: [],
    });
  });
});
