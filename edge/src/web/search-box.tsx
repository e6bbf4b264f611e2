import type { EdgeViewer } from '../context.js';

/** The search box of the site header: a plain GET form, so it works without JavaScript. */
export function SearchBox(props: { value?: string | undefined }) {
  return (
    <search class="search-box">
      <form method="get" action="/search">
        <label for="site-search" class="visually-hidden">
          Search videos and channels
        </label>
        <input
          id="site-search"
          type="search"
          name="search"
          value={props.value}
          placeholder="Search"
          maxlength={200}
          autocomplete="off"
        />
        <button type="submit">Search</button>
      </form>
    </search>
  );
}

/** Header links to the signed-in viewer's playlists and history (list items of the main nav). */
export function DiscoverNav(props: { viewer: EdgeViewer | undefined }) {
  if (!props.viewer) return null;
  return (
    <>
      <li>
        <a href="/playlists">Playlists</a>
      </li>
      <li>
        <a href="/history">History</a>
      </li>
    </>
  );
}
