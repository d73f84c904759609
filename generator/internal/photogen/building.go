package photogen

import "math"

// A feature is something on a wall, a rectangle in the wall's own
// coordinates: u along the wall, v the height above the ground (metres).
type feature struct {
	kind           featureKind
	u0, v0, u1, v1 float64
	col            rgb
}

type featureKind int

const (
	window featureKind = iota
	door
	sign
)

// wall returns the shader of a plastered wall with outward normal n, whose
// u coordinate of a point is given by u, top height top.
func (w *world) wall(n vec, base rgb, top float64, feats []feature, u func(p vec) float64) func(p vec, px float64) (rgb, float64) {
	lit := w.light(n, 0.42)
	tn := w.n
	return func(p vec, px float64) (rgb, float64) {
		uu, v := u(p), p.Y
		stain := tn.fbm(uu*0.6, v*0.9, 6, px*0.6*2)
		fine := tn.fbm(uu*9, v*9, 4, px*9*2)
		col := base.mul(0.93 + 0.07*stain + 0.05*fine)
		// A plinth of grey render, splashed with mud.
		if v < 0.45 {
			col = hex("#8d8a82").mul(0.9 + 0.1*fine + 0.1*stain)
			col = col.mix(hex("#6b5a44"), smoothstep(0.35, 0.0, v)*0.35)
		}
		for _, f := range feats {
			// Rain streaks below windows and the sign.
			if uu > f.u0 && uu < f.u1 && v < f.v0 && v > f.v0-1.2 {
				s := tn.fbm(uu*14, v*0.6, 3, 0)
				col = col.mul(1 - 0.08*smoothstep(0.1, 0.6, s)*(1-(f.v0-v)/1.2))
			}
		}
		for _, f := range feats {
			if !inRect(uu, v, f.u0-0.06, f.v0-0.06, f.u1+0.06, f.v1+0.04) {
				continue
			}
			col = w.featureColour(f, uu, v, col, px)
			break
		}
		// Shade: less light low down (bounce from the ground) and under
		// the eaves.
		shade := lit * (1 - 0.12*math.Exp(-v/0.4)) * (1 - 0.35*math.Exp(-(top-v)/0.3))
		return col.mul(shade), 1
	}
}

func (w *world) featureColour(f feature, u, v float64, wall rgb, px float64) rgb {
	tn := w.n
	switch f.kind {
	case window:
		if v < f.v0 && v >= f.v0-0.06 { // sill
			return hex("#d9d6cf")
		}
		if !inRect(u, v, f.u0, f.v0, f.u1, f.v1) {
			return wall.mul(0.8) // reveal
		}
		fr := 0.07
		mid := (f.u0 + f.u1) / 2
		if u < f.u0+fr || u > f.u1-fr || v < f.v0+fr || v > f.v1-fr || math.Abs(u-mid) < fr/2 || math.Abs(v-(f.v0+(f.v1-f.v0)*0.62)) < fr/2 {
			return f.col.mul(0.95 + 0.05*tn.fbm(u*30, v*30, 2, 0))
		}
		// Glass: the sky and trees in it, a curtain behind.
		t := (v - f.v0) / (f.v1 - f.v0)
		glass := hex("#2b3640").mix(w.skyLow.mul(0.75), 0.55*t*t)
		sheen := math.Max(0, math.Sin((u+v*0.8)*3.2))
		glass = glass.mix(rgb{0.8, 0.85, 0.9}, 0.12*sheen*sheen)
		// Curtains drawn to the sides, in folds.
		cw := (f.u1 - f.u0) * (0.18 + 0.08*hash(w.seed+77, int(f.u0*10), int(f.v0*10)))
		if t < 0.93 && (u < f.u0+fr+cw || u > f.u1-fr-cw) {
			fold := 0.8 + 0.2*math.Sin(u*90)
			glass = glass.mix(hex("#d8ccb0").mul(fold*0.7), 0.75)
		}
		return glass
	case door:
		if !inRect(u, v, f.u0, f.v0, f.u1, f.v1) {
			return hex("#cfcac0").mul(0.92) // frame
		}
		col := f.col.mul(0.92 + 0.08*tn.fbm(u*3, v*12, 4, px*12))
		w0, h0 := f.u1-f.u0, f.v1-f.v0
		in := inRect(u, v, f.u0+0.12*w0, f.v0+0.55*h0, f.u1-0.12*w0, f.v1-0.1*h0) || inRect(u, v, f.u0+0.12*w0, f.v0+0.08*h0, f.u1-0.12*w0, f.v0+0.45*h0)
		if in {
			col = col.mul(0.86)
		}
		if math.Hypot(u-(f.u1-0.1*w0), v-1.0) < 0.035 {
			col = hex("#c8c2b0") // handle
		}
		return col
	case sign:
		if !inRect(u, v, f.u0, f.v0, f.u1, f.v1) {
			return wall.mul(0.85) // its shadow on the wall
		}
		b := 0.05
		if u < f.u0+b || u > f.u1-b || v < f.v0+b || v > f.v1-b {
			return rgb{0.93, 0.93, 0.9}
		}
		return f.col.mul(0.95 + 0.05*tn.fbm(u*4, v*4, 3, 0))
	}
	return wall
}

// roof returns the shader of a roof plane with outward normal n: metal
// sheets (corrugated) or clay tiles; s runs along the eaves, t down the
// slope from the ridge.
func (w *world) roof(n vec, base rgb, tiles bool, s, t func(p vec) float64) func(p vec, px float64) (rgb, float64) {
	lit := w.light(n, 0.45)
	tn := w.n
	return func(p vec, px float64) (rgb, float64) {
		ss, tt := s(p), t(p)
		col := base.mul(0.9 + 0.1*tn.fbm(ss*0.4, tt*0.8, 5, px))
		if tiles {
			row := math.Floor(tt / 0.32)
			off := 0.0
			if int(row)%2 == 1 {
				off = 0.11
			}
			col_ := math.Floor((ss + off) / 0.22)
			v := hash(w.seed+55, int(col_), int(row))
			col = col.mul(0.82 + 0.3*v)
			ft := tt/0.32 - row
			aa := smoothstep(0.06, 0.02, px) // fade detail too fine to see
			col = col.mul(1 - aa*0.35*smoothstep(0.75, 1, ft))
			moss := smoothstep(0.3, 0.8, tn.fbm(ss*0.7, tt*1.5, 5, px))
			col = col.mix(hex("#5d6b3a"), 0.35*moss)
		} else {
			aa := smoothstep(0.03, 0.012, px)
			col = col.mul(1 + aa*0.12*math.Sin(ss*2*math.Pi/0.076))
			rust := smoothstep(0.35, 0.9, tn.fbm(ss*0.5+4, tt*2, 6, px))
			col = col.mix(hex("#8a5a3a"), 0.5*rust)
		}
		return col.mul(lit), 1
	}
}

// shed paints a building of walls X0..X1, Z0..Z1, height h, with a pitched
// roof rising to ridge: its ridge along X (the front wall long, gables on
// the sides) or along Z (a gable at the front).
type shed struct {
	b                box
	ridge, overhang  float64
	alongX, tiles    bool
	wall, roofCol    rgb
	front, sideFeats []feature
}

func (w *world) shed(s shed) {
	b := s.b
	o := s.overhang
	// Shadow first, on the ground.
	pts := b.corners()
	if s.alongX {
		zm := (b.Z0 + b.Z1) / 2
		pts = append(pts, vec{b.X0 - o, s.ridge, zm}, vec{b.X1 + o, s.ridge, zm})
	} else {
		xm := (b.X0 + b.X1) / 2
		pts = append(pts, vec{xm, s.ridge, b.Z0 - o}, vec{xm, s.ridge, b.Z1 + o})
	}
	w.shadow(pts, 0.55, 0.5)
	uFront := func(p vec) float64 { return p.X - b.X0 }
	uSide := func(p vec) float64 { return p.Z - b.Z0 }
	eye := vec{0, w.eye, 0}
	if s.alongX {
		zm := (b.Z0 + b.Z1) / 2
		h := b.Y1
		// The visible gable end.
		if eye.X < b.X0 {
			f := []vec{{b.X0, 0, b.Z1}, {b.X0, 0, b.Z0}, {b.X0, h, b.Z0}, {b.X0, s.ridge, zm}, {b.X0, h, b.Z1}}
			w.face(f, w.wall(vec{-1, 0, 0}, s.wall, h, s.sideFeats, uSide))
		} else if eye.X > b.X1 {
			f := []vec{{b.X1, 0, b.Z0}, {b.X1, 0, b.Z1}, {b.X1, h, b.Z1}, {b.X1, s.ridge, zm}, {b.X1, h, b.Z0}}
			w.face(f, w.wall(vec{1, 0, 0}, s.wall, h, s.sideFeats, uSide))
		}
		w.face([]vec{{b.X0, 0, b.Z0}, {b.X1, 0, b.Z0}, {b.X1, h, b.Z0}, {b.X0, h, b.Z0}}, w.wall(vec{0, 0, -1}, s.wall, h, s.front, uFront))
		// The front slope of the roof, past the walls by the overhang.
		run := zm - b.Z0
		rise := s.ridge - h
		k := rise / run
		n := vec{0, run, -rise}.norm()
		ez := b.Z0 - o
		ey := h - o*k
		w.face([]vec{{b.X0 - o, ey, ez}, {b.X1 + o, ey, ez}, {b.X1 + o, s.ridge, zm}, {b.X0 - o, s.ridge, zm}},
			w.roof(n, s.roofCol, s.tiles, func(p vec) float64 { return p.X }, func(p vec) float64 { return zm - p.Z }))
		// The fascia: a dark edge under the eaves.
		w.face([]vec{{b.X0 - o, ey - 0.18, ez}, {b.X1 + o, ey - 0.18, ez}, {b.X1 + o, ey, ez}, {b.X0 - o, ey, ez}},
			func(p vec, px float64) (rgb, float64) { return hex("#3b3a36").mul(w.light(vec{0, 0, -1}, 0.5)), 1 })
		return
	}
	xm := (b.X0 + b.X1) / 2
	h := b.Y1
	run := xm - b.X0
	rise := s.ridge - h
	k := rise / run
	// The visible side wall and roof slope.
	if eye.X > b.X1 {
		w.face([]vec{{b.X1, 0, b.Z0}, {b.X1, 0, b.Z1}, {b.X1, h, b.Z1}, {b.X1, h, b.Z0}}, w.wall(vec{1, 0, 0}, s.wall, h, s.sideFeats, uSide))
		n := vec{rise, run, 0}.norm()
		ex, ey := b.X1+o, h-o*k
		if n.dot(eye.sub(vec{ex, ey, b.Z0})) > 0 {
			w.face([]vec{{xm, s.ridge, b.Z0 - o}, {ex, ey, b.Z0 - o}, {ex, ey, b.Z1 + o}, {xm, s.ridge, b.Z1 + o}},
				w.roof(n, s.roofCol, s.tiles, func(p vec) float64 { return p.Z }, func(p vec) float64 { return (xm - p.X) * -1 }))
		}
	} else if eye.X < b.X0 {
		w.face([]vec{{b.X0, 0, b.Z1}, {b.X0, 0, b.Z0}, {b.X0, h, b.Z0}, {b.X0, h, b.Z1}}, w.wall(vec{-1, 0, 0}, s.wall, h, s.sideFeats, uSide))
	}
	// The front gable and the roof's edge above it.
	w.face([]vec{{b.X0, 0, b.Z0}, {b.X1, 0, b.Z0}, {b.X1, h, b.Z0}, {xm, s.ridge, b.Z0}, {b.X0, h, b.Z0}}, w.wall(vec{0, 0, -1}, s.wall, s.ridge, s.front, uFront))
	bargeCol := s.roofCol.mul(0.55)
	for _, sgn := range []float64{-1, 1} {
		ex := xm + sgn*(run+o)
		ey := h - o*k
		tx, ty := -sgn*0.0, 0.25
		w.face([]vec{{ex, ey - ty, b.Z0 - o}, {xm, s.ridge - ty, b.Z0 - o}, {xm + tx, s.ridge + 0.05, b.Z0 - o}, {ex, ey + 0.05, b.Z0 - o}},
			func(p vec, px float64) (rgb, float64) { return bargeCol, 1 })
	}
}
