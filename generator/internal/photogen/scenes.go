package photogen

import "math"

// The scenes. Distances are metres; the camera stands at the origin looking
// along +Z, X to the right.

func (w *world) clinic() {
	w.f, w.horizon, w.eye = 0.96, 0.5, 1.6
	w.sun = vec{-0.75, 0.42, -0.4}.norm()
	w.skyTop, w.skyLow = hex("#4f7fb8"), hex("#c8d6e2")
	w.sky(0.22)
	w.hills([]hillLayer{
		{height: 0.22, freq: 1.1, offset: 3, field: hex("#7f92a0"), wood: hex("#6a7f8e"), haze: 0.45},
		{height: 0.15, freq: 1.6, offset: 9, field: hex("#7d8f62"), wood: hex("#4f6440"), haze: 0.25, trees: 0.6},
		{height: 0.07, freq: 2.4, offset: 21, field: hex("#8a9a5a"), wood: hex("#3f5733"), haze: 0.1, trees: 1},
	})
	green, dry := hex("#5f7a36"), hex("#a39a5c")
	gravel := hex("#a59c8b")
	road := hex("#6c6a66")
	w.ground(func(x, z, px float64) rgb {
		col := w.grass(x, z, px, green, dry)
		// The road across the foreground, curving away on the left.
		rc := 7.5 + 0.012*x*x - 0.15*x
		d := z - rc
		if edge := 2.6 + 0.15*w.n.fbm(x*0.8, z*0.8, 3, 0); d > -edge-0.3 && d < edge {
			a := w.n.fbm(x*0.9, z*0.9, 8, px*0.9*2)
			asphalt := road.mul(0.92 + 0.12*a)
			// Worn tracks and patches.
			asphalt = asphalt.mix(hex("#4e4d4b"), 0.4*smoothstep(0.3, 0.7, w.n.fbm(x*0.3+5, z*2, 4, px)))
			asphalt = w.asphalt(asphalt, x, z, px)
			col = col.mix(asphalt, smoothstep(edge+0.1, edge-0.2, d)*smoothstep(-edge-0.3, -edge, d))
		}
		// The gravel yard in front of the clinic.
		if z > 10.5 && z < 22 && x > -1.5 && x < 16 {
			g := gravel.mul(0.85 + 0.2*w.n.fbm(x*4, z*4, 8, px*8) + 0.08*w.n.fbm(x*0.4, z*0.4, 3, 0))
			m := smoothstep(10.5, 11.3, z) * smoothstep(-1.5, -0.5, x) * smoothstep(16, 15, x)
			col = col.mix(g, m*(0.7+0.3*smoothstep(-0.2, 0.4, w.n.fbm(x, z, 4, 0))))
		}
		return col
	})
	// Trees behind the clinic first, then the clinic, then nearer trees.
	w.tree(14, 34, 11, 4.2, hex("#4c6b30"), w.seed+11)
	w.tree(6, 38, 12, 4.8, hex("#557535"), w.seed+12)
	w.tree(-4, 36, 10, 4.0, hex("#4a6a2e"), w.seed+13)
	w.shed(shed{
		b: box{1, 0, 20, 13, 3.2, 27}, ridge: 5.1, overhang: 0.5, alongX: true,
		wall: hex("#e9e2d0"), roofCol: hex("#7d8a8f"),
		front: []feature{
			{kind: window, u0: 0.9, v0: 1.0, u1: 2.5, v1: 2.4, col: hex("#f2f2ee")},
			{kind: window, u0: 3.3, v0: 1.0, u1: 4.9, v1: 2.4, col: hex("#f2f2ee")},
			{kind: door, u0: 6.2, v0: 0.08, u1: 7.4, v1: 2.25, col: hex("#2f6b6e")},
			{kind: sign, u0: 5.4, v0: 2.45, u1: 8.2, v1: 3.0, col: hex("#0f5e66")},
			{kind: window, u0: 8.7, v0: 1.0, u1: 10.3, v1: 2.4, col: hex("#f2f2ee")},
			{kind: window, u0: 10.9, v0: 1.0, u1: 11.6, v1: 2.0, col: hex("#f2f2ee")},
		},
		sideFeats: []feature{
			{kind: window, u0: 2.4, v0: 1.0, u1: 3.8, v1: 2.3, col: hex("#f2f2ee")},
		},
	})
	w.coolBox(8.6, 19.2, hex("#2d6fb0"))
	w.post(0.2, 19.5, 5.5, 0.06, hex("#8e8c86")) // a lamp post
	w.tree(-7, 24, 9, 3.6, hex("#4f6e30"), w.seed+14)
	w.tree(-12, 17, 10, 4.2, hex("#466628"), w.seed+15)
	w.tree(21, 28, 8, 3.2, hex("#557536"), w.seed+16)
}

func (w *world) coldChain() {
	w.f, w.horizon, w.eye = 0.72, 0.47, 1.55
	w.sun = vec{-0.7, 0.5, -0.5}.norm()
	w.skyTop, w.skyLow = hex("#4a78b2"), hex("#cfdbe5")
	w.sky(0.15)
	w.hills([]hillLayer{
		{height: 0.1, freq: 1.5, offset: 2, field: hex("#8294a2"), wood: hex("#6b7f8f"), haze: 0.45},
		{height: 0.06, freq: 2.2, offset: 7, field: hex("#84955e"), wood: hex("#4c623e"), haze: 0.25, trees: 0.6},
	})
	green, dry := hex("#62803a"), hex("#b3a45e")
	road := hex("#5d5d5c")
	roadC := func(z float64) float64 { return 0.3 + 0.0009*z*z - 0.02*z }
	w.ground(func(x, z, px float64) rgb {
		col := w.grass(x, z, px, green, dry)
		d := x - roadC(z)
		const half = 2.9
		e := 0.12 * w.n.fbm(z*0.7, 3, 3, 0)
		if d > -half-0.4 && d < half+0.4 {
			a := w.n.fbm(x*1.2, z*1.2, 8, px*1.2*2)
			asphalt := road.mul(0.9 + 0.14*a)
			asphalt = asphalt.mix(hex("#3f3f3f"), 0.35*smoothstep(0.25, 0.7, w.n.fbm(x*0.4+9, z*0.15, 4, px)))
			asphalt = w.asphalt(asphalt, x, z, px)
			// Edge lines and a dashed centre line, worn.
			wear := 0.75 + 0.25*w.n.fbm(x*6, z*6, 4, px*6)
			lw := 0.06 + px*0.5
			if (d > -half+0.25 && d < -half+0.25+2*lw) || (d < half-0.25 && d > half-0.25-2*lw) {
				asphalt = asphalt.mix(rgb{0.9, 0.9, 0.86}, wear)
			}
			if d > -lw && d < lw {
				if m := z - 6*float64(int(z/6)); m < 3 {
					asphalt = asphalt.mix(rgb{0.9, 0.9, 0.86}, wear)
				}
			}
			col = col.mix(asphalt, smoothstep(half+0.3+e, half-0.1+e, d)*smoothstep(-half-0.3-e, -half+0.1-e, d))
		}
		// A dusty verge where the van stands.
		if d > half && d < half+3.5 && z > 6 && z < 20 {
			dirt := hex("#9a8a6c").mul(0.85 + 0.2*w.n.fbm(x*5, z*5, 7, px*10))
			col = col.mix(dirt, 0.75*smoothstep(half+3.5, half+2.5, d)*smoothstep(6, 8, z)*smoothstep(20, 18, z))
		}
		return col
	})
	// Trees and posts along the road, far to near.
	for i := 12; i >= 0; i-- {
		z := 14 + float64(i)*9
		if i%2 == 0 {
			w.tree(roadC(z)-7-hash(w.seed, i, 3)*3, z, 8+hash(w.seed, i, 4)*4, 3+hash(w.seed, i, 5)*1.5, hex("#4d6c2f").mix(hex("#667c36"), hash(w.seed, i, 6)), w.seed+uint64(30+i))
		}
		if i%3 == 1 {
			w.tree(roadC(z)+10+hash(w.seed, i, 7)*4, z+4, 9+hash(w.seed, i, 8)*3, 3.5, hex("#4a6a2c"), w.seed+uint64(60+i))
		}
	}
	for i := 30; i >= 0; i-- {
		z := 4 + float64(i)*3.2
		w.post(roadC(z)-4.2, z, 1.2, 0.05, hex("#7c6a55"))
	}
	w.van(roadC(11.5)+3.0, 11.5, hex("#eef0f0"), hex("#1f6fa8"))
	w.coolBox(roadC(9.3)+2.4, 9.3, hex("#2d6fb0"))
	w.coolBox(roadC(10)+1.8, 10, hex("#e8e8e4"))
}

func (w *world) hall() {
	w.f, w.horizon, w.eye = 0.72, 0.5, 1.6
	w.sun = vec{-0.6, 0.45, -0.6}.norm()
	w.skyTop, w.skyLow = hex("#5b86b8"), hex("#d3dce3")
	w.sky(0.2)
	w.hills([]hillLayer{
		{height: 0.08, freq: 1.3, offset: 5, field: hex("#8596a3"), wood: hex("#6e8190"), haze: 0.45},
		{height: 0.05, freq: 2.0, offset: 11, field: hex("#8f9560"), wood: hex("#5c6140"), haze: 0.2, trees: 0.8},
	})
	green, dry := hex("#5b7634"), hex("#9c8f55")
	w.ground(func(x, z, px float64) rgb {
		col := w.grass(x, z, px, green, dry)
		// Fallen leaves.
		l := w.n.fbm(x*3, z*3, 6, px*6)
		col = col.mix(hex("#b0783a"), 0.35*smoothstep(0.3, 0.8, l))
		// A gravel path to the door.
		pc := -4.6 + (z-15)*0.03 + 0.3*w.n.fbm(z*0.2, 1, 2, 0)
		if d := x - pc; d > -1.6 && d < 1.6 && z < 15.5 {
			g := hex("#b3a893").mul(0.85 + 0.2*w.n.fbm(x*5, z*5, 8, px*10))
			col = col.mix(g, smoothstep(1.6, 1.1, d)*smoothstep(-1.6, -1.1, d))
		}
		return col
	})
	w.tree(-14, 42, 13, 5, hex("#6a7a32"), w.seed+21)
	w.treeMixed(3, 44, 12, 4.5, hex("#6a7a32"), hex("#a08030"), w.seed+22)
	w.shed(shed{
		b: box{-7.6, 0, 15, -1.6, 3.4, 25}, ridge: 6.6, overhang: 0.4,
		tiles: true, wall: hex("#ddd3bf"), roofCol: hex("#9a4b32"),
		front: []feature{
			{kind: window, u0: 0.6, v0: 1.1, u1: 1.8, v1: 2.6, col: hex("#ffffff")},
			{kind: door, u0: 2.3, v0: 0.1, u1: 3.7, v1: 2.5, col: hex("#6b3f2a")},
			{kind: sign, u0: 1.9, v0: 2.8, u1: 4.1, v1: 3.35, col: hex("#7a2f3b")},
			{kind: window, u0: 4.2, v0: 1.1, u1: 5.4, v1: 2.6, col: hex("#ffffff")},
			{kind: window, u0: 2.6, v0: 4.1, u1: 3.4, v1: 5.0, col: hex("#ffffff")},
		},
		sideFeats: []feature{
			{kind: window, u0: 1.5, v0: 1.1, u1: 2.8, v1: 2.7, col: hex("#ffffff")},
			{kind: window, u0: 4.5, v0: 1.1, u1: 5.8, v1: 2.7, col: hex("#ffffff")},
			{kind: window, u0: 7.5, v0: 1.1, u1: 8.8, v1: 2.7, col: hex("#ffffff")},
		},
	})
	// A noticeboard by the path, and the big trees framing the hall.
	w.post(-6.9, 12.5, 1.9, 0.07, hex("#5a4632"))
	w.treeMixed(8, 30, 14, 5.5, hex("#8a8a2e"), hex("#b08a2a"), w.seed+23)
	w.treeMixed(-13, 14, 15, 6, hex("#5f7a2e"), hex("#8a8a30"), w.seed+24)
	w.treeMixed(5, 11, 17, 6.5, hex("#7a7a2c"), hex("#b0602a"), w.seed+25)
}

// asphalt adds an old road's aggregate, cracks and tar repairs to col.
func (w *world) asphalt(col rgb, x, z, px float64) rgb {
	grit := w.n.fbm(x*60, z*60, 3, px*60*2)
	col = col.mul(1 + 0.1*grit)
	c := math.Abs(w.n.fbm(x*0.35+1, z*0.35+2, 5, px*0.35*3))
	crack := smoothstep(0.03, 0.0, c) * smoothstep(0.06, 0.015, px)
	col = col.mix(hex("#2a2a2a"), 0.55*crack)
	tar := smoothstep(0.045, 0.025, c) * smoothstep(0.6, 0.9, w.n.fbm(x*0.2, z*0.2, 2, 0))
	return col.mix(hex("#303030"), 0.6*tar)
}
