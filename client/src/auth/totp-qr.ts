/**
 * A QR code as an SVG element (not an image: the CSP keeps `img-src` narrow, and an element
 * needs no data: URL), from `uqr`'s module matrix. One path of unit squares.
 */
import { svg } from 'lit';
import { encode } from 'uqr';

/** Quiet zone around the code, in modules (the QR standard asks for 4). */
const QUIET_ZONE = 4;

export function qrCode(text: string, label: string) {
  const { data, size } = encode(text, { ecc: 'M', border: 0 });
  let d = '';
  data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) d += `M${x + QUIET_ZONE} ${y + QUIET_ZONE}h1v1h-1z`;
    });
  });
  const full = size + 2 * QUIET_ZONE;
  return svg`<svg class="qr" role="img" aria-label=${label} viewBox="0 0 ${full} ${full}" shape-rendering="crispEdges">
    <rect width=${full} height=${full} fill="#fff"></rect>
    <path d=${d} fill="#000"></path>
  </svg>`;
}
