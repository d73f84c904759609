package photogen

import "math"

// paintBox paints the faces of a box the camera sees with shade, which gets
// the face's outward normal too.
func (w *world) paintBox(b box, shade func(n vec) func(p vec, px float64) (rgb, float64)) {
	faces := b.faces(w)
	// Far faces first: the top (seen from above) and the sides before the front.
	for i := len(faces) - 1; i >= 0; i-- {
		f := faces[i]
		w.face(f, shade(normalOf(f)))
	}
}

// plain is a shader of one colour, lit, with a little texture.
func (w *world) plain(col rgb, n vec, ambient, texture float64) func(p vec, px float64) (rgb, float64) {
	lit := w.light(n, ambient)
	return func(p vec, px float64) (rgb, float64) {
		t := w.n.fbm(p.X*3+p.Z*3, p.Y*3, 5, px*3)
		return col.mul(lit * (1 + texture*t)), 1
	}
}

// van paints a small refrigerated lorry: a cab in front of an insulated
// box, its left side towards the camera, nose towards the camera (front at
// Z0).
func (w *world) van(x0, z0 float64, body rgb, stripe rgb) {
	const width, cabLen, boxLen = 2.0, 1.6, 4.4
	x1 := x0 + width
	cab := box{x0, 0.45, z0, x1, 2.25, z0 + cabLen}
	cargo := box{x0 - 0.05, 0.55, z0 + cabLen + 0.1, x1 + 0.05, 3.05, z0 + cabLen + 0.1 + boxLen}
	w.shadow(append(cab.corners(), cargo.corners()...), 0.6, 0.3)
	// Dark underneath the vehicle.
	under := []vec{{x0 - 0.1, 0.01, z0 - 0.1}, {x1 + 0.1, 0.01, z0 - 0.1}, {x1 + 0.1, 0.01, cargo.Z1 + 0.1}, {x0 - 0.1, 0.01, cargo.Z1 + 0.1}}
	var scr []pt
	for _, p := range under {
		scr = append(scr, w.project(p))
	}
	w.c.poly(scr, 8, func(x, y int, cov float64) { w.c.darken(x, y, 0.7*cov, rgb{0.5, 0.5, 0.55}) })
	wheel := func(zc float64) {
		// A wheel on the left side: a disc seen from the side.
		c := vec{x0 - 0.02, 0.42, zc}
		var ps []vec
		for i := 0; i < 20; i++ {
			a := float64(i) / 20 * 2 * math.Pi
			ps = append(ps, vec{c.X, c.Y + 0.42*math.Sin(a), c.Z + 0.42*math.Cos(a)})
		}
		w.face(ps, func(p vec, px float64) (rgb, float64) {
			r := math.Hypot(p.Y-c.Y, p.Z-c.Z)
			switch {
			case r < 0.2:
				return hex("#9a9c9e").mul(0.8 + 0.3*math.Max(0, (c.Y-p.Y+p.Z-c.Z)/0.3)), 1
			case r < 0.24:
				return hex("#2a2a2a"), 1
			}
			return hex("#1c1c1d").mul(0.9 + 0.2*w.n.fbm(p.Y*40, p.Z*40, 3, px*40)), 1
		})
	}
	// The cargo box.
	w.paintBox(cargo, func(n vec) func(p vec, px float64) (rgb, float64) {
		lit := w.light(n, 0.5)
		return func(p vec, px float64) (rgb, float64) {
			col := body.mul(0.96 + 0.04*w.n.fbm(p.Z*2, p.Y*2, 4, px*2))
			if p.Y > 1.2 && p.Y < 1.45 && n.X != 0 {
				col = stripe
			}
			// Panel seams every 1.1 m along the side.
			if n.X != 0 && math.Abs(math.Mod(p.Z-cargo.Z0, 1.1)) < 0.012 {
				col = col.mul(0.85)
			}
			// Road dust on the lower part.
			col = col.mix(hex("#8a7d68"), 0.35*smoothstep(1.0, 0.55, p.Y))
			return col.mul(lit), 1
		}
	})
	// The refrigeration unit on the box's front, above the cab.
	unit := box{x0 + 0.45, 2.35, cargo.Z0 - 0.35, x1 - 0.45, 2.95, cargo.Z0}
	w.paintBox(unit, func(n vec) func(p vec, px float64) (rgb, float64) {
		lit := w.light(n, 0.45)
		return func(p vec, px float64) (rgb, float64) {
			col := hex("#b9bcbf")
			if n.Z != 0 && math.Mod(p.Y*12, 1) < 0.35 {
				col = hex("#4b4f53") // the grille
			}
			return col.mul(lit), 1
		}
	})
	wheel(cargo.Z1 - 1.1)
	// The cab.
	w.paintBox(cab, func(n vec) func(p vec, px float64) (rgb, float64) {
		lit := w.light(n, 0.5)
		return func(p vec, px float64) (rgb, float64) {
			col := body.mul(0.97)
			glass := hex("#1f262c").mix(w.skyLow, 0.35*clamp((p.Y-1.35)/0.8, 0, 1))
			switch {
			case n.Z < 0: // the front
				u := p.X - x0
				if p.Y > 1.35 && p.Y < 2.1 && u > 0.12 && u < width-0.12 {
					col = glass
				} else if p.Y < 0.8 {
					col = hex("#3a3d40") // bumper
					if p.Y > 0.6 && (u < 0.35 || u > width-0.35) {
						col = hex("#e8e6dc") // lights
					}
				} else if p.Y < 1.2 && u > 0.5 && u < width-0.5 && math.Mod(p.Y*14, 1) < 0.5 {
					col = hex("#2e3134") // grille
				}
			case n.X != 0: // the side: a door with its window
				v := p.Z - z0
				if p.Y > 1.35 && p.Y < 2.05 && v > 0.35 && v < cabLen-0.1 {
					col = glass
				}
				if math.Abs(v-0.3) < 0.01 || math.Abs(v-cabLen+0.05) < 0.01 {
					col = col.mul(0.8)
				}
				if p.Y < 0.8 {
					col = hex("#3a3d40")
				}
			}
			col = col.mix(hex("#8a7d68"), 0.3*smoothstep(0.9, 0.5, p.Y))
			return col.mul(lit), 1
		}
	})
	wheel(z0 + 0.75)
}

// coolBox paints a vaccine cool box standing on the ground.
func (w *world) coolBox(x, z float64, body rgb) {
	b := box{x, 0, z, x + 0.62, 0.42, z + 0.4}
	w.shadow(b.corners(), 0.6, 0.1)
	w.paintBox(b, func(n vec) func(p vec, px float64) (rgb, float64) {
		lit := w.light(n, 0.45)
		return func(p vec, px float64) (rgb, float64) {
			col := body
			if p.Y > 0.34 {
				col = rgb{0.92, 0.92, 0.9} // the lid
			}
			if n.Y == 0 && math.Abs(p.Y-0.34) < 0.008 {
				col = col.mul(0.6)
			}
			return col.mul(lit), 1
		}
	})
}

// post paints a fence post or pole.
func (w *world) post(x, z, h, r float64, col rgb) {
	b := box{x - r, 0, z - r, x + r, h, z + r}
	w.shadow(b.corners(), 0.35, 0.05)
	w.paintBox(b, func(n vec) func(p vec, px float64) (rgb, float64) { return w.plain(col, n, 0.45, 0.15) })
}
