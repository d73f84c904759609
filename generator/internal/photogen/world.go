package photogen

import (
	"math"
)

type vec struct{ X, Y, Z float64 }

func (a vec) add(b vec) vec       { return vec{a.X + b.X, a.Y + b.Y, a.Z + b.Z} }
func (a vec) sub(b vec) vec       { return vec{a.X - b.X, a.Y - b.Y, a.Z - b.Z} }
func (a vec) scale(k float64) vec { return vec{a.X * k, a.Y * k, a.Z * k} }
func (a vec) dot(b vec) float64   { return a.X*b.X + a.Y*b.Y + a.Z*b.Z }
func (a vec) cross(b vec) vec {
	return vec{a.Y*b.Z - a.Z*b.Y, a.Z*b.X - a.X*b.Z, a.X*b.Y - a.Y*b.X}
}
func (a vec) norm() vec { return a.scale(1 / math.Sqrt(a.dot(a))) }

// world is a scene seen by a camera standing on flat ground at the origin,
// looking along +Z, with Y up (metres).
type world struct {
	c       *canvas
	n       *noise // shared texture noise
	seed    uint64
	f       float64 // focal length in image heights
	horizon float64 // the horizon's height as a fraction of the image height
	eye     float64 // the camera's height above the ground
	sun     vec     // unit vector towards the sun
	skyTop  rgb
	skyLow  rgb
}

// project returns the pixel where world point p is seen.
func (w *world) project(p vec) pt {
	H := float64(w.c.h)
	X := w.f * p.X / p.Z
	v := w.horizon + w.f*(w.eye-p.Y)/p.Z
	return pt{X*H + float64(w.c.w)/2, v * H}
}

// ray returns the direction of the ray through the centre of pixel (x, y),
// scaled so that its Z is 1.
func (w *world) ray(x, y int) vec {
	H := float64(w.c.h)
	X := (float64(x) + 0.5 - float64(w.c.w)/2) / H
	v := (float64(y) + 0.5) / H
	return vec{X / w.f, -(v - w.horizon) / w.f, 1}
}

// pixelSize is the size in metres of a pixel at depth z.
func (w *world) pixelSize(z float64) float64 { return z / (w.f * float64(w.c.h)) }

// face paints a flat convex polygon of world points; shade returns the
// colour and opacity at a world point on it and the pixel's size there.
// Faces turned away from the camera are not painted.
func (w *world) face(ps []vec, shade func(p vec, px float64) (rgb, float64)) {
	if len(ps) < 3 {
		return
	}
	nrm := ps[1].sub(ps[0]).cross(ps[2].sub(ps[0]))
	eye := vec{0, w.eye, 0}
	if nrm.dot(eye.sub(ps[0])) == 0 {
		return
	}
	scr := make([]pt, len(ps))
	for i, p := range ps {
		if p.Z < 0.3 {
			return
		}
		scr[i] = w.project(p)
	}
	k := nrm.dot(ps[0])
	w.c.poly(scr, 1, func(x, y int, cov float64) {
		d := w.ray(x, y)
		den := nrm.dot(d)
		if den == 0 {
			return
		}
		t := (k - nrm.dot(eye)) / den
		if t <= 0 {
			return
		}
		p := eye.add(d.scale(t))
		col, a := shade(p, w.pixelSize(p.Z))
		w.c.blend(x, y, col, a*cov)
	})
}

// light returns the sunlight on a surface with normal n: ambient plus
// direct.
func (w *world) light(n vec, ambient float64) float64 {
	return ambient + (1-ambient)*math.Max(0, n.dot(w.sun))
}

// shadow darkens the ground under the shadow a set of world points casts,
// the convex hull of their shadows, with an edge softened by soft metres.
func (w *world) shadow(ps []vec, strength, soft float64) {
	var g []pt // on the ground: (X, Z)
	for _, p := range ps {
		s := p.sub(w.sun.scale(p.Y / w.sun.Y))
		g = append(g, pt{s.X, s.Z})
	}
	hull := convexHull(g)
	var scr []pt
	for _, q := range hull {
		if q.Y < 0.5 {
			return
		}
		scr = append(scr, w.project(vec{q.X, 0, q.Y}))
	}
	if len(scr) < 3 {
		return
	}
	// The softness in pixels at the shadow's nearest point.
	zmin := math.Inf(1)
	for _, q := range hull {
		zmin = math.Min(zmin, q.Y)
	}
	softPx := soft / w.pixelSize(zmin) * 0.35
	tint := rgb{0.55, 0.62, 0.85} // shadows lit by the blue sky
	w.c.poly(scr, softPx, func(x, y int, cov float64) {
		w.c.darken(x, y, strength*cov, tint)
	})
}

func convexHull(p []pt) []pt {
	if len(p) < 3 {
		return p
	}
	// Gift wrapping: a few points only.
	start := 0
	for i := range p {
		if p[i].X < p[start].X || (p[i].X == p[start].X && p[i].Y < p[start].Y) {
			start = i
		}
	}
	var hull []pt
	cur := start
	for {
		hull = append(hull, p[cur])
		next := (cur + 1) % len(p)
		for i := range p {
			cr := (p[next].X-p[cur].X)*(p[i].Y-p[cur].Y) - (p[next].Y-p[cur].Y)*(p[i].X-p[cur].X)
			if cr < 0 {
				next = i
			}
		}
		cur = next
		if cur == start || len(hull) > len(p) {
			break
		}
	}
	return hull
}

// sky paints the sky: a gradient from skyTop to skyLow at the horizon,
// brighter towards the sun, with clouds.
func (w *world) sky(cloudiness float64) {
	H := float64(w.c.h)
	hy := int(w.horizon*H) + 2
	cn := newNoise(w.seed + 101)
	sunX := w.sun.X / w.sun.Z * w.f // screen X of the sun (it may be off the picture)
	w.c.rows(0, hy, func(y int) {
		v := (float64(y) + 0.5) / H
		t := clamp(v/w.horizon, 0, 1)
		base := w.skyTop.mix(w.skyLow, math.Pow(t, 1.8))
		for x := 0; x < w.c.w; x++ {
			X := (float64(x) - float64(w.c.w)/2) / H
			glow := math.Exp(-math.Abs(X-sunX)*1.5) * 0.12 * t
			col := base.mix(rgb{1, 0.97, 0.9}, glow)
			// Clouds: flattened towards the horizon, as a layer seen at a slant.
			alt := math.Max(w.horizon-v, 0.01)
			cz := 1 / alt // depth on the cloud layer
			cx, cy := X*cz*0.35, cz*0.9
			n := cn.fbm(cx*1.3, cy*0.7, 7, 0.004*cz*cz)
			dens := smoothstep(0.35-cloudiness, 0.9-cloudiness, n)
			if dens > 0 {
				// Lit tops, grey bases.
				m := cn.fbm(cx*1.3+0.05, cy*0.7+0.08, 5, 0)
				shade := clamp(0.82+0.25*(n-m)*3, 0.6, 1.05)
				cloud := rgb{0.97, 0.97, 0.98}.mul(shade).mix(w.skyLow, 0.5*t*t)
				col = col.mix(cloud, dens*smoothstep(0, 0.08, alt))
			}
			w.c.blend(x, y, col, 1)
		}
	})
}

// hills paints layers of hills from far to near between the horizon and
// the given heights (fractions of the image height above the horizon).
func (w *world) hills(layers []hillLayer) {
	H := float64(w.c.h)
	for k, l := range layers {
		hn := newNoise(w.seed + 200 + uint64(k))
		top := w.horizon - l.height*1.6
		w.c.rows(int(top*H)-2, int((w.horizon+0.004)*H)+1, func(y int) {
			v := (float64(y) + 0.5) / H
			for x := 0; x < w.c.w; x++ {
				X := (float64(x) - float64(w.c.w)/2) / H
				ridge := w.horizon - l.height*(0.55+0.5*hn.fbm(X*l.freq+l.offset, 0.3, 6, 0))
				a := clamp((v-ridge)*H+0.5, 0, 1)
				if a <= 0 {
					continue
				}
				// Fields and woods on the slope, hazier far away.
				u := (v - ridge) / math.Max(w.horizon-ridge, 1e-3)
				tex := hn.fbm(X*l.freq*6, v*l.freq*14, 7, 2/H*l.freq*6)
				wood := smoothstep(0.0, 0.25, hn.fbm(X*l.freq*2.5+3, v*l.freq*4, 4, 0))
				col := l.field.mix(l.wood, wood).mul(0.9 + 0.18*tex - 0.1*u)
				if l.trees > 0 {
					// The ridge's own trees: a bumpy crest.
					bump := hn.fbm(X*l.freq*40, 1.7, 3, 0)
					if v-ridge < l.trees*(0.5+0.5*bump)/H*6 {
						col = l.wood.mul(0.95)
					}
				}
				col = col.mix(w.skyLow, l.haze)
				w.c.blend(x, y, col, a)
			}
		})
	}
}

type hillLayer struct {
	height, freq, offset float64
	field, wood          rgb
	haze                 float64
	trees                float64
}

// ground paints everything below the horizon with the colour paint gives
// for a point (x, z) of the ground and the pixel's size there.
func (w *world) ground(paint func(x, z, px float64) rgb) {
	H := float64(w.c.h)
	w.c.rows(int(w.horizon*H), w.c.h, func(y int) {
		v := (float64(y) + 0.5) / H
		if v <= w.horizon {
			return
		}
		z := w.f * w.eye / (v - w.horizon)
		px := w.pixelSize(z)
		for x := 0; x < w.c.w; x++ {
			X := (float64(x) + 0.5 - float64(w.c.w)/2) / H
			gx := X * z / w.f
			col := paint(gx, z, px)
			haze := clamp((z-60)/600, 0, 0.45)
			w.c.blend(x, y, col.mix(w.skyLow, haze), 1)
		}
	})
}

// grass is a meadow's colour at ground point (x, z).
func (w *world) grass(x, z, px float64, green, dry rgb) rgb {
	n := w.n
	d := smoothstep(-0.2, 0.5, n.fbm(x*0.05, z*0.05, 4, 0))
	col := green.mix(dry, d*0.7)
	tex := n.fbm(x*1.1, z*1.1, 8, px*1.1*2)
	blade := n.fbm(x*12, z*12, 6, px*12*2)
	tuft := n.fbm(x*45+3, z*45, 3, px*45*2)
	col = col.mul(0.84 + 0.22*tex + 0.16*blade + 0.1*tuft)
	// Dark hollows between tufts, pale dry blades on top.
	return col.mix(col.mul(0.6), smoothstep(-0.2, -0.7, blade)*0.6).mix(dry.mul(1.15), smoothstep(0.5, 0.9, tuft)*0.4)
}

// tree paints a tree standing at (x, z): a trunk and a crown of noisy
// clusters of leaves, lit from the sun's side, with its shadow.
func (w *world) tree(x, z, height, radius float64, leaf rgb, seed uint64) {
	w.treeMixed(x, z, height, radius, leaf, leaf, seed)
}

// treeMixed is a tree whose clusters of leaves range from leaf to alt (an
// autumn tree turning).
func (w *world) treeMixed(x, z, height, radius float64, leaf, alt rgb, seed uint64) {
	crownY := height - radius
	w.shadow([]vec{{x - radius, crownY, z}, {x + radius, crownY, z}, {x, crownY + radius*0.9, z}, {x, crownY - radius*0.8, z}, {x - radius*0.7, crownY, z - radius*0.7}, {x + radius*0.7, crownY, z + radius*0.7}}, 0.45, radius*0.6)
	// Trunk, and two limbs into the crown.
	tw := radius * 0.065
	bark := hex("#4a3f33")
	barkShade := func(cx, half float64) func(p vec, px float64) (rgb, float64) {
		return func(p vec, px float64) (rgb, float64) {
			side := clamp((cx-p.X)/half*0.5+0.5, 0, 1) // 1 on the sun's (left) side
			s := 0.55 + 0.55*side*math.Max(0, -w.sun.X) + 0.25*w.n.fbm(p.X*30, p.Y*2.5, 6, px*30)
			return bark.mul(s), 1
		}
	}
	w.face([]vec{{x - tw, 0, z}, {x + tw, 0, z}, {x + tw*0.6, crownY, z}, {x - tw*0.6, crownY, z}}, barkShade(x, tw))
	for _, s := range []float64{-1, 1} {
		lx := x + s*radius*0.45
		w.face([]vec{{x - tw*0.5, crownY - radius*0.2, z}, {x + tw*0.5, crownY - radius*0.2, z}, {lx + tw*0.25, crownY + radius*0.45, z}, {lx - tw*0.25, crownY + radius*0.45, z}}, barkShade(x, tw))
	}
	// Crown: clusters of leaves of different sizes, scattered irregularly.
	r := newNoise(seed + 7)
	n := 16
	for i := 0; i < n; i++ {
		a := hash(seed, i, 0) * 2 * math.Pi
		d := radius * 0.62 * math.Sqrt(hash(seed, i, 2))
		cx := x + math.Cos(a)*d
		cy := crownY + math.Sin(a)*d*0.85 + radius*0.05
		cr := radius * (0.3 + 0.28*hash(seed, i, 1))
		col := leaf.mix(alt, hash(seed, i, 3)).mul(0.88 + 0.24*hash(seed, i, 4))
		w.leaves(vec{cx, cy, z - radius*0.3*hash(seed, i, 5)}, cr, col, r, vec{x, crownY, z}, radius)
	}
}

// leaves paints one cluster of leaves centred at c with radius r, shaded as
// part of a crown centred at crown.
func (w *world) leaves(c vec, r float64, leaf rgb, n *noise, crown vec, crownR float64) {
	ctr := w.project(c)
	rp := r * w.f * float64(w.c.h) / c.Z
	px := w.pixelSize(c.Z)
	bbox := []pt{{ctr.X - rp*1.5, ctr.Y - rp*1.5}, {ctr.X + rp*1.5, ctr.Y - rp*1.5}, {ctr.X + rp*1.5, ctr.Y + rp*1.5}, {ctr.X - rp*1.5, ctr.Y + rp*1.5}}
	w.c.poly(bbox, 1, func(x, y int, _ float64) {
		dx := (float64(x) + 0.5 - ctr.X) / rp
		dy := (float64(y) + 0.5 - ctr.Y) / rp
		d2 := dx*dx + dy*dy
		if d2 > 2.25 {
			return
		}
		wx, wy := c.X+dx*r, c.Y-dy*r
		clump := n.fbm(wx*3.5, wy*3.5, 7, px*7)
		edge := 1 + 0.5*n.fbm(wx*1.1, wy*1.1, 3, 0) + 0.4*clump
		a := clamp((edge-d2)*rp*0.12, 0, 1)
		// Sky through the foliage near the edge.
		if d2 > 0.45 {
			a *= smoothstep(-0.75, -0.45, clump)
		}
		if a <= 0 {
			return
		}
		// Normal of the crown as a sphere, for the light.
		nx, ny := (wx-crown.X)/crownR, (wy-crown.Y)/crownR
		nz := -math.Sqrt(math.Max(0, 1-nx*nx-ny*ny))
		lit := w.light(vec{nx, ny, nz}.norm(), 0.3)
		leafTex := n.fbm(wx*14, wy*14, 4, px*28)
		col := leaf.mul(0.42 + 0.55*lit + 0.22*clump + 0.12*leafTex)
		// Deep gaps in the foliage are dark, lit leaves a little yellower.
		col = col.mix(leaf.mul(0.22), smoothstep(-0.3, -0.8, clump)*0.85)
		col = col.mix(rgb{col.R * 1.12, col.G * 1.1, col.B * 0.9}, smoothstep(0.3, 0.8, clump)*lit)
		w.c.blend(x, y, col, a)
	})
}

// box is an axis-aligned block of the world: X0..X1, 0 or Y0..Y1, Z0..Z1.
type box struct{ X0, Y0, Z0, X1, Y1, Z1 float64 }

// faces returns the box's faces the camera sees, each with its outward
// normal, front (smallest Z) first.
func (b box) faces(w *world) [][]vec {
	var out [][]vec
	eye := vec{0, w.eye, 0}
	cand := [][]vec{
		{{b.X0, b.Y0, b.Z0}, {b.X1, b.Y0, b.Z0}, {b.X1, b.Y1, b.Z0}, {b.X0, b.Y1, b.Z0}}, // front
		{{b.X0, b.Y0, b.Z1}, {b.X0, b.Y0, b.Z0}, {b.X0, b.Y1, b.Z0}, {b.X0, b.Y1, b.Z1}}, // left
		{{b.X1, b.Y0, b.Z0}, {b.X1, b.Y0, b.Z1}, {b.X1, b.Y1, b.Z1}, {b.X1, b.Y1, b.Z0}}, // right
		{{b.X0, b.Y1, b.Z0}, {b.X1, b.Y1, b.Z0}, {b.X1, b.Y1, b.Z1}, {b.X0, b.Y1, b.Z1}}, // top
	}
	for _, f := range cand {
		n := f[1].sub(f[0]).cross(f[2].sub(f[0]))
		if n.dot(eye.sub(f[0])) < 0 { // counter-clockwise seen from outside
			out = append(out, f)
		}
	}
	return out
}

func normalOf(f []vec) vec {
	n := f[1].sub(f[0]).cross(f[2].sub(f[0])).norm()
	return n.scale(-1)
}

func (b box) corners() []vec {
	return []vec{{b.X0, b.Y0, b.Z0}, {b.X1, b.Y0, b.Z0}, {b.X0, b.Y1, b.Z0}, {b.X1, b.Y1, b.Z0},
		{b.X0, b.Y0, b.Z1}, {b.X1, b.Y0, b.Z1}, {b.X0, b.Y1, b.Z1}, {b.X1, b.Y1, b.Z1}}
}

// inRect reports whether a point (u, v) is in the rectangle u0..u1, v0..v1.
func inRect(u, v, u0, v0, u1, v1 float64) bool { return u >= u0 && u <= u1 && v >= v0 && v <= v1 }
