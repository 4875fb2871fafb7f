/** Small UI glyphs as inline SVG (emoji fonts are not everywhere). */
const base = { width: 14, height: 14, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 1.9, strokeLinecap: 'round', strokeLinejoin: 'round', 'aria-hidden': true } as const;

export const PencilIcon = () => (<svg {...base}><path d="M4 20h4L19 9l-4-4L4 16z" /><path d="M14 6l4 4" /></svg>);
export const TrashIcon = () => (<svg {...base}><path d="M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3" /></svg>);
export const ExpandIcon = () => (<svg {...base}><path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5" /></svg>);
export const CollapseIcon = () => (<svg {...base}><path d="M6 12h12" /></svg>);
export const MenuIcon = () => (<svg {...base}><path d="M4 6h16M4 12h16M4 18h16" /></svg>);
