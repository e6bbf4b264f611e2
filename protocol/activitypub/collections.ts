/**
 * Paged `OrderedCollection`s (outbox, followers, following) the way PeerTube and Mastodon read
 * them: the collection itself carries `totalItems` and a link to its `first` page; each
 * `OrderedCollectionPage` carries its items newest first, `partOf`, and `prev`/`next` links.
 */

/** Items per page, PeerTube's own size (`ACTIVITY_PUB.COLLECTION_ITEMS_PER_PAGE`). */
export const COLLECTION_PAGE_SIZE = 10;

const AS_CONTEXT = 'https://www.w3.org/ns/activitystreams';

/** The URL of page `page` (from 1) of the collection at `id`. */
export const collectionPageUrl = (id: string, page: number): string => `${id}?page=${page}`;

/** The collection at `id`: its size and its first page, with no items inline. */
export function orderedCollection(id: string, totalItems: number) {
  return {
    '@context': AS_CONTEXT,
    id,
    type: 'OrderedCollection' as const,
    totalItems,
    first: collectionPageUrl(id, 1),
  };
}

/**
 * Page `page` (from 1) of the collection at `id`, holding `items` (already that page's slice).
 * `next` is there while later pages hold items; `prev` from page 2 on.
 */
export function orderedCollectionPage<T>(
  id: string,
  page: number,
  totalItems: number,
  items: T[],
  pageSize: number = COLLECTION_PAGE_SIZE,
) {
  return {
    '@context': AS_CONTEXT,
    id: collectionPageUrl(id, page),
    type: 'OrderedCollectionPage' as const,
    partOf: id,
    totalItems,
    ...(page > 1 ? { prev: collectionPageUrl(id, page - 1) } : {}),
    ...(page * pageSize < totalItems ? { next: collectionPageUrl(id, page + 1) } : {}),
    orderedItems: items,
  };
}
