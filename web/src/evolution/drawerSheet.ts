/**
 * On a narrow canvas the version drawer is a bottom sheet (evolution.css .node-drawer.placement-bottom)
 * covering the lower part of the canvas; the reveals centre a version in the part left above it.
 */
export const NARROW_CANVAS_PX = 700;
/** Height share of the canvas the bottom sheet takes. */
export const DRAWER_SHARE = 0.56;
