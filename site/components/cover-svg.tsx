import { renderToStaticMarkup } from 'preact-render-to-string';

/** Palettes of the generated covers: dark sleeve, light lettering, one accent (contrast kept). */
const palettes = [
  ['#1f2a44', '#f4efe6', '#e0a458'],
  ['#3b1f2b', '#f6ede3', '#d1495b'],
  ['#14342b', '#eef2e6', '#8fc0a9'],
  ['#2d2a32', '#f2f0e9', '#ddd92a'],
  ['#40201a', '#f8efe4', '#ef8354'],
  ['#10263b', '#eaf2f8', '#5fa8d3'],
  ['#2b2d42', '#edf2f4', '#ef233c'],
  ['#243b2f', '#f1f5ec', '#c9a227'],
] as const;

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Splits a name into at most `lines` lines of about `width` characters, the last one cut with «…». */
function wrap(text: string, width: number, lines: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  const kept = out.slice(0, lines).map((l) => (l.length > width + 4 ? `${l.slice(0, width + 3)}…` : l));
  if (out.length > lines) kept[lines - 1] = `${kept[lines - 1]!.replace(/…$/, '')}…`;
  return kept;
}

/** The record peeking out of the sleeve, its label in the accent colour, turned by the artist's hash. */
function Disc(props: { sleeve: string; accent: string; angle: number }) {
  return (
    <g transform={`rotate(${props.angle} 420 180)`}>
      <circle cx="420" cy="180" r="150" fill="#0c0c0e" />
      <circle cx="420" cy="180" r="120" fill="none" stroke="#2a2a2e" stroke-width="2" />
      <circle cx="420" cy="180" r="95" fill="none" stroke="#2a2a2e" stroke-width="2" />
      <circle cx="420" cy="180" r="48" fill={props.accent} />
      <circle cx="420" cy="180" r="6" fill={props.sleeve} />
    </g>
  );
}

/** Lines of text at the left margin, one under another from y, `step` apart. */
function Lines(props: { lines: string[]; y: number; step: number; ink: string; font: string; size: number; bold?: boolean }) {
  return (
    <text
      x="48"
      y={props.y}
      fill={props.ink}
      font-family={props.font}
      font-size={props.size}
      {...(props.bold ? { 'font-weight': '700', 'letter-spacing': '2' } : { 'font-style': 'italic' })}
    >
      {props.lines.map((line, i) => (
        <tspan x="48" dy={i === 0 ? 0 : props.step}>{line}</tspan>
      ))}
    </text>
  );
}

/**
 * A tasteful cover for a record without a photo: a sleeve in a colour chosen from the artist, a
 * record peeking out, the artist and title set in type. The same record always gets the same cover.
 */
export function GeneratedCover(props: { artist: string; title: string; year: number | null }) {
  const h = hash(props.artist.toLowerCase());
  const [sleeve, ink, accent] = palettes[h % palettes.length]!;
  const artistLines = wrap(props.artist.toUpperCase(), 16, 2);
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 600" width="600" height="600" role="img" aria-label={`${props.artist} — ${props.title}`}>
      <rect width="600" height="600" fill={sleeve} />
      <Disc sleeve={sleeve} accent={accent} angle={(h >> 8) % 360} />
      <rect x="0" y="330" width="600" height="270" fill={sleeve} opacity="0.92" />
      <rect x="48" y="356" width="64" height="6" fill={accent} />
      <Lines lines={artistLines} y={410} step={40} ink={ink} font="DejaVu Sans, Arial, sans-serif" size={34} bold />
      <Lines lines={wrap(props.title, 20, 3)} y={430 + artistLines.length * 40} step={34} ink={ink} font="DejaVu Serif, Georgia, serif" size={28} />
      {props.year ? (
        <text x="552" y="570" fill={accent} font-family="DejaVu Sans, Arial, sans-serif" font-size="24" text-anchor="end">{String(props.year)}</text>
      ) : null}
    </svg>
  );
}

/** The cover as an SVG document (escaped by the renderer). */
export function renderCoverSvg(record: { artist: string; title: string; year: number | null }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${renderToStaticMarkup(<GeneratedCover {...record} />)}`;
}
