/**
 * A shared location as one line of text an agent can read.
 *
 * @example
 * describeLocation({ latitude: 37.4833, longitude: -122.149, name: 'Philz Coffee' });
 * // 'Location: Philz Coffee (37.4833, -122.149)'
 */
export function describeLocation(location: {
  latitude: number | string;
  longitude: number | string;
  name?: string | undefined;
  address?: string | undefined;
}): string {
  const label = [location.name, location.address].filter((part) => part !== undefined && part !== '').join(', ');
  const coordinates = `${location.latitude}, ${location.longitude}`;
  return label === '' ? `Location: ${coordinates}` : `Location: ${label} (${coordinates})`;
}
