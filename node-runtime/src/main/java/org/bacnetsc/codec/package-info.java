/**
 * The BVLC-SC codec (Annex AB.2): pure functions over bytes, wire enums, decode failures as values with their NAKs.
 * Uses nothing of this project and no actor, logging or I/O.
 */
package org.bacnetsc.codec;
