package photogen

import (
	"math"
	"math/rand/v2"
)

// noise is 2-D gradient (Perlin) noise from a seeded permutation.
type noise struct {
	perm [512]uint8
}

func newNoise(seed uint64) *noise {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	n := &noise{}
	for i, v := range r.Perm(256) {
		n.perm[i] = uint8(v)
		n.perm[i+256] = uint8(v)
	}
	return n
}

func fade(t float64) float64 { return t * t * t * (t*(t*6-15) + 10) }

func grad(h uint8, x, y float64) float64 {
	switch h & 7 {
	case 0:
		return x + y
	case 1:
		return x - y
	case 2:
		return -x + y
	case 3:
		return -x - y
	case 4:
		return x
	case 5:
		return -x
	case 6:
		return y
	default:
		return -y
	}
}

// at returns the noise at (x, y), roughly in [-1, 1].
func (n *noise) at(x, y float64) float64 {
	fx, fy := math.Floor(x), math.Floor(y)
	xi, yi := int(fx)&255, int(fy)&255
	x -= fx
	y -= fy
	u, v := fade(x), fade(y)
	p := &n.perm
	a, b := int(p[xi])+yi, int(p[xi+1])+yi
	g00 := grad(p[a], x, y)
	g10 := grad(p[b], x-1, y)
	g01 := grad(p[a+1], x, y-1)
	g11 := grad(p[b+1], x-1, y-1)
	l0 := g00 + u*(g10-g00)
	l1 := g01 + u*(g11-g01)
	return (l0 + v*(l1-l0)) * 0.9
}

// fbm sums octaves of noise, each twice the frequency and half the
// amplitude of the one before, into roughly [-1, 1]. Octaves finer than
// minWave (in the units of x and y) are left out, so a texture seen from
// far does not alias; minWave 0 keeps them all.
func (n *noise) fbm(x, y float64, octaves int, minWave float64) float64 {
	sum, amp, norm, f := 0.0, 1.0, 0.0, 1.0
	for i := 0; i < octaves; i++ {
		if minWave > 0 && 1/f < minWave {
			// Fade the octave that straddles the limit instead of cutting it.
			k := (1/f)/minWave*2 - 1
			if k > 0 {
				sum += amp * k * n.at(x*f+float64(i)*17.3, y*f-float64(i)*9.1)
				norm += amp * k
			}
			break
		}
		sum += amp * n.at(x*f+float64(i)*17.3, y*f-float64(i)*9.1)
		norm += amp
		amp *= 0.5
		f *= 2
	}
	if norm == 0 {
		return 0
	}
	return sum / norm * 1.6
}

// hash returns a deterministic pseudo-random number in [0, 1) for the
// integers given.
func hash(seed uint64, a, b int) float64 {
	h := seed ^ uint64(a)*0x9e3779b97f4a7c15 ^ uint64(b)*0xc2b2ae3d27d4eb4f
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return float64(h>>11) / (1 << 53)
}

func clamp(x, lo, hi float64) float64 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

func smoothstep(a, b, x float64) float64 {
	t := clamp((x-a)/(b-a), 0, 1)
	return t * t * (3 - 2*t)
}

func mix(a, b, t float64) float64 { return a + (b-a)*t }
