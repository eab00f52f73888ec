/**
 * The live tab's map content: attaches the LiveView's canvases to the map while shown, turns clicks into
 * selection, right-click / long-press into "nearest members", and shows the selected member's popup and the
 * edge indicators. Renders only small React parts; markers and trails are drawn by the canvases.
 */
import L from 'leaflet';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Popup, useMap } from 'react-leaflet';
import type { WatchedMember } from '../../../contract/station-api.js';
import type { Crs } from '../../../protocol/fix-limits.js';
import { useI18n } from '../i18n/I18nProvider.js';
import type { LiveStore } from '../live/live-store.js';
import type { MemberStateTracker } from '../live/state-tracker.js';
import { nearestMembers } from '../live/nearest.js';
import type { LiveView } from './live-view.js';
import { MemberPopup, NearestList } from './MemberPopup.js';

const LONG_PRESS_MS = 600;
const NEAREST_LIMIT = 10;

export function LiveLayers({
  view,
  store,
  tracker,
  members,
  basemapCrs,
  onHistory,
}: {
  view: LiveView;
  store: LiveStore;
  tracker: MemberStateTracker;
  members: readonly WatchedMember[];
  basemapCrs: Crs;
  onHistory: (uid: string) => void;
}) {
  const map = useMap();
  const { t } = useI18n();
  const snapshot = useSyncExternalStore(view.subscribe, view.getSnapshot);
  const [nearestAt, setNearestAt] = useState<L.LatLng | undefined>();
  const [popupOpen, setPopupOpen] = useState(false);
  const edgeBox = useRef<HTMLDivElement>(null);

  useEffect(() => {
    // Clicks on the indicators are theirs, not the map's (which would select or deselect a member).
    if (edgeBox.current) L.DomEvent.disableClickPropagation(edgeBox.current);
  }, []);

  useEffect(() => {
    view.attach(map);
    return () => view.detach();
  }, [view, map]);

  useEffect(() => view.setMembers(members, basemapCrs), [view, members, basemapCrs]);

  useEffect(() => {
    const onClick = (e: L.LeafletMouseEvent): void => {
      const uid = view.hitTest(e.containerPoint);
      setNearestAt(undefined);
      if (uid) {
        view.select(uid, true);
        setPopupOpen(true);
      } else setPopupOpen(false);
    };
    const onContextMenu = (e: L.LeafletMouseEvent): void => {
      setPopupOpen(false);
      setNearestAt(e.latlng);
    };
    const onDrag = (): void => {
      if (view.getSnapshot().followed) view.follow(undefined);
    };
    // Touch screens have no right button: a still press of LONG_PRESS_MS asks the same question.
    let pressTimer: ReturnType<typeof setTimeout> | undefined;
    const container = map.getContainer();
    const onTouchStart = (e: TouchEvent): void => {
      const touch = e.touches[0];
      if (e.touches.length !== 1 || !touch) return;
      const rect = container.getBoundingClientRect();
      const point = map.containerPointToLatLng([touch.clientX - rect.left, touch.clientY - rect.top]);
      pressTimer = setTimeout(() => setNearestAt(point), LONG_PRESS_MS);
    };
    const cancelPress = (): void => clearTimeout(pressTimer);
    map.on('click', onClick);
    map.on('contextmenu', onContextMenu);
    map.on('dragstart', onDrag);
    container.addEventListener('touchstart', onTouchStart, { passive: true });
    container.addEventListener('touchend', cancelPress);
    container.addEventListener('touchmove', cancelPress, { passive: true });
    return () => {
      map.off('click', onClick);
      map.off('contextmenu', onContextMenu);
      map.off('dragstart', onDrag);
      container.removeEventListener('touchstart', onTouchStart);
      container.removeEventListener('touchend', cancelPress);
      container.removeEventListener('touchmove', cancelPress);
      cancelPress();
    };
  }, [map, view]);

  const selected = snapshot.selected;
  const selectedAt = selected ? view.latLngOf(selected) : undefined;
  const member = selected ? members.find((m) => m.uid === selected) : undefined;
  const nearest = nearestAt
    ? nearestMembers(
        { lat: nearestAt.lat, lon: nearestAt.lng },
        basemapCrs,
        members.flatMap((m) => {
          const fix = store.latest(m.uid);
          return fix ? [{ uid: m.uid, lat: fix.lat, lon: fix.lon, crs: fix.crs }] : [];
        }),
        NEAREST_LIMIT,
      )
    : [];
  const { edges } = snapshot;

  return (
    <>
      {popupOpen && member && selectedAt ? (
        <Popup
          position={selectedAt}
          offset={[0, -6]}
          autoPan={false}
          eventHandlers={{ remove: () => setPopupOpen(false) }}
        >
          <MemberPopup
            member={member}
            store={store}
            tracker={tracker}
            followed={snapshot.followed === member.uid}
            onFollow={() => view.follow(snapshot.followed === member.uid ? undefined : member.uid)}
            onHistory={() => onHistory(member.uid)}
          />
        </Popup>
      ) : null}
      {nearestAt ? (
        <Popup position={nearestAt} eventHandlers={{ remove: () => setNearestAt(undefined) }}>
          <NearestList
            nearest={nearest}
            members={members}
            store={store}
            tracker={tracker}
            onPick={(uid) => {
              setNearestAt(undefined);
              view.select(uid, true);
              setPopupOpen(true);
            }}
          />
        </Popup>
      ) : null}
      <div ref={edgeBox} className="edge-indicators" aria-label={t('map.outsideView')}>
        {(['north', 'east', 'south', 'west'] as const).map((edge) =>
          edges[edge] > 0 ? (
            <button
              key={edge}
              type="button"
              className={`edge-indicator edge-${edge}`}
              title={t('map.outsideEdge', { count: edges[edge] })}
              onClick={() => view.fitAll()}
            >
              {EDGE_ARROWS[edge]} {edges[edge]}
            </button>
          ) : null,
        )}
      </div>
    </>
  );
}

const EDGE_ARROWS = { north: '▲', east: '▶', south: '▼', west: '◀' } as const;
