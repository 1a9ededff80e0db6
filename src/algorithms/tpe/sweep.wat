;; The joint scorer's per-candidate work (see sweepKernel.ts and JointScorer in jointScore.ts),
;; over all components of a mixture at once. Every address is a byte offset into the exported
;; memory; f64 arrays start on 16-byte boundaries. Each sum is formed in the order and with the
;; IEEE operations of the scorer's former JavaScript loops (the reference in
;; tests/algorithms/sweepKernel.test.ts), so the results are equal to the bit; the f64x2 lanes
;; only hold two components side by side. The log of the standard normal's mass in [a, b] (two
;; erfc and a log), which the exact term of a cell wider than a kernel needs, is asked of the
;; host through the import "logCellMass" and kept in a cache for the whole process.
(module
  ;; logCellMass(a, b): the log of the standard normal's mass in [a, b].
  (import "js" "logCellMass" (func $logCellMass (param f64 f64) (result f64)))
  ;; 1.5 MiB from the start: the cell-mass cache's 384 KiB, then more than the default settings
  ;; need on spaces of up to about 15 quantized parameters (113 KiB for the speed suite's
  ;; mixed10d): growing the memory detaches its buffer, and V8's first detached buffer in a
  ;; process throws away all optimised code that reads typed arrays.
  (memory (export "memory") 24)

  ;; The cell-mass cache, at address 0: 16384 entries of a, b and logCellMass(a, b) (three f64),
  ;; direct-mapped by a hash of a and b's bits, keys NaN while empty. Its value depends on a and b
  ;; alone, so an entry holds for any mixture: means, bandwidths and quantized values repeat from
  ;; one suggestion to the next, and late in a search nearly every cell mass was computed before.
  ;; Mixtures' arrays start after it, at the exported "arrays".
  (global (export "arrays") i32 (i32.const 393216))

  (func $init
    (local $at i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $at) (i32.const 393216)))
        (f64.store (local.get $at) (f64.const nan))
        (local.set $at (i32.add (local.get $at) (i32.const 8)))
        (br $each))))
  (start $init)

  ;; logCellMass(a, b), from the cache or else from the host (and then kept).
  (func $cellMass (param $a f64) (param $b f64) (result f64)
    (local $at i32) (local $v f64)
    (local.set $at
      (i32.mul
        (i32.wrap_i64
          (i64.shr_u
            (i64.mul
              (i64.xor (i64.mul (i64.reinterpret_f64 (local.get $a)) (i64.const 0x9E3779B97F4A7C15)) (i64.reinterpret_f64 (local.get $b)))
              (i64.const 0xC2B2AE3D27D4EB4F))
            (i64.const 50)))
        (i32.const 24)))
    (if (i32.and (f64.eq (f64.load (local.get $at)) (local.get $a)) (f64.eq (f64.load offset=8 (local.get $at)) (local.get $b)))
      (then (return (f64.load offset=16 (local.get $at)))))
    (local.set $v (call $logCellMass (local.get $a) (local.get $b)))
    (f64.store (local.get $at) (local.get $a))
    (f64.store offset=8 (local.get $at) (local.get $b))
    (f64.store offset=16 (local.get $at) (local.get $v))
    (local.get $v))

;; One mixture's arrays and its candidates', described by 28 + 3 c i32 fields at $desc (c
  ;; categorical dimensions, q quantized ones, o = c + q):
  ;;   0 m (components)   1 w (numeric dimensions)   2 q (the first q numeric ones)
  ;;   3 stride (bytes between dimensions' rows)   4 mus   5 invs (dimension t at + t * stride)
  ;;   6 low   7 high (candidate j's intervals, w f64 at + 8 j w; a quantized value's cell)
  ;;   8 base   9 qsq   10 swept   11 partial (m f64 each)   12 c   13 options (dimension u's
  ;;   i32 per component at + u * stride / 2)   14 columns (candidate j's table column per
  ;;   categorical dimension, c i32 at + 4 j c)   15 count (candidates)   16 terms (count f64)
  ;;   17 rest (o + 1 f64 per component: a bound on what its terms from the t-th on add)
  ;;   18 bounds2 (m f64)   19 logNorms (numeric dimension t's row at + t * stride)
  ;;   20 cellLogWidth (q f64 per candidate: the log of each cell's width)   21 cellSlot (q i32
  ;;   per candidate)   22 cellTerms (m f64 per cell slot, NaN until computed)   23 kept (m f64)
  ;;   24 skip (count i32)   25 out (f64 best, then i32 lead)   26 logWeights (m f64)
  ;;   27 logMass (quantized dimension u's row at + u * stride)
  ;;   then per categorical dimension u: 28 + 3 u its table, 29 + 3 u its size, 30 + 3 u its
  ;;   rowMax (size + 1 f64: each row's largest entry).
  ;; sweep: for candidate j, per component i < m: qsq[i] = sum over the quantized dimensions, then
  ;; swept[i] = qsq[i] + sum over the other numeric dimensions, of z * z, z being the distance in
  ;; sigmas from the component's mean to the candidate's interval (0 inside it); then
  ;; partial[i] = base[i] - 0.5 * (swept[i] - qsq[i]), plus each categorical dimension's
  ;; table[options[i] * size + column].
  (func $sweep (param $desc i32) (param $j i32)
    (local $u i32) (local $c i32) (local $at i32)
    (call $numeric
      (i32.load offset=0 (local.get $desc)) (i32.load offset=4 (local.get $desc)) (i32.load offset=8 (local.get $desc))
      (i32.load offset=12 (local.get $desc)) (i32.load offset=16 (local.get $desc)) (i32.load offset=20 (local.get $desc))
      (i32.add (i32.load offset=24 (local.get $desc)) (i32.shl (i32.mul (local.get $j) (i32.load offset=4 (local.get $desc))) (i32.const 3)))
      (i32.add (i32.load offset=28 (local.get $desc)) (i32.shl (i32.mul (local.get $j) (i32.load offset=4 (local.get $desc))) (i32.const 3)))
      (i32.load offset=32 (local.get $desc)) (i32.load offset=36 (local.get $desc)) (i32.load offset=40 (local.get $desc))
      (i32.load offset=44 (local.get $desc)))
    (local.set $c (i32.load offset=48 (local.get $desc)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $u) (local.get $c)))
        (local.set $at (i32.add (local.get $desc) (i32.mul (local.get $u) (i32.const 12))))
        (call $categorical
          (i32.load offset=0 (local.get $desc))
          (i32.add (i32.load offset=52 (local.get $desc)) (i32.mul (local.get $u) (i32.shr_u (i32.load offset=12 (local.get $desc)) (i32.const 1))))
          (i32.load offset=112 (local.get $at))
          (i32.load offset=116 (local.get $at))
          (i32.load (i32.add (i32.load offset=56 (local.get $desc)) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $c)) (local.get $u)) (i32.const 2))))
          (i32.load offset=44 (local.get $desc)))
        (local.set $u (i32.add (local.get $u) (i32.const 1)))
        (br $each))))

  ;; Component i's log term before its quantized cells' terms at each candidate j < count, to
  ;; terms[j]: base[i] - 0.5 * (the squared distance in sigmas over the continuous dimensions),
  ;; summed dimension by dimension as for one candidate above, plus its categorical terms.
  (func $component (param $desc i32) (param $i i32)
    (local $w i32) (local $q i32) (local $stride i32) (local $mus i32) (local $invs i32) (local $low i32) (local $high i32)
    (local $c i32) (local $count i32) (local $j i32) (local $t i32) (local $u i32) (local $at i32) (local $cell i32) (local $dim i32)
    (local $mu f64) (local $lo f64) (local $hi f64) (local $z f64) (local $sq f64) (local $qsq f64) (local $a f64)
    (local.set $w (i32.load offset=4 (local.get $desc)))
    (local.set $q (i32.load offset=8 (local.get $desc)))
    (local.set $stride (i32.load offset=12 (local.get $desc)))
    (local.set $mus (i32.add (i32.load offset=16 (local.get $desc)) (i32.shl (local.get $i) (i32.const 3))))
    (local.set $invs (i32.add (i32.load offset=20 (local.get $desc)) (i32.shl (local.get $i) (i32.const 3))))
    (local.set $low (i32.load offset=24 (local.get $desc)))
    (local.set $high (i32.load offset=28 (local.get $desc)))
    (local.set $c (i32.load offset=48 (local.get $desc)))
    (local.set $count (i32.load offset=60 (local.get $desc)))
    (block $candidatesDone
      (loop $candidates
        (br_if $candidatesDone (i32.ge_u (local.get $j) (local.get $count)))
        (local.set $sq (f64.const 0))
        (local.set $qsq (f64.const 0))
        (local.set $t (i32.const 0))
        (block $dimsDone
          (loop $dims
            (br_if $dimsDone (i32.ge_u (local.get $t) (local.get $w)))
            (local.set $at (i32.shl (i32.add (i32.mul (local.get $j) (local.get $w)) (local.get $t)) (i32.const 3)))
            (local.set $lo (f64.load (i32.add (local.get $low) (local.get $at))))
            (local.set $hi (f64.load (i32.add (local.get $high) (local.get $at))))
            (local.set $cell (i32.mul (local.get $t) (local.get $stride)))
            (local.set $mu (f64.load (i32.add (local.get $mus) (local.get $cell))))
            (local.set $z
              (f64.mul
                (select
                  (f64.sub (local.get $lo) (local.get $mu))
                  (select (f64.sub (local.get $mu) (local.get $hi)) (f64.const 0) (f64.gt (f64.sub (local.get $mu) (local.get $hi)) (f64.const 0)))
                  (f64.gt (f64.sub (local.get $lo) (local.get $mu)) (f64.const 0)))
                (f64.load (i32.add (local.get $invs) (local.get $cell)))))
            (local.set $sq (f64.add (local.get $sq) (f64.mul (local.get $z) (local.get $z))))
            (if (i32.lt_u (local.get $t) (local.get $q))
              (then (local.set $qsq (f64.add (local.get $qsq) (f64.mul (local.get $z) (local.get $z))))))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $dims)))
        (local.set $a
          (f64.sub
            (f64.load (i32.add (i32.load offset=32 (local.get $desc)) (i32.shl (local.get $i) (i32.const 3))))
            (f64.mul (f64.const 0.5) (f64.sub (local.get $sq) (local.get $qsq)))))
        (local.set $u (i32.const 0))
        (block $categoricalDone
          (loop $categorical
            (br_if $categoricalDone (i32.ge_u (local.get $u) (local.get $c)))
            (local.set $dim (i32.add (local.get $desc) (i32.mul (local.get $u) (i32.const 12))))
            (local.set $a
              (f64.add
                (local.get $a)
                (f64.load
                  (i32.add
                    (i32.load offset=112 (local.get $dim))
                    (i32.shl
                      (i32.add
                        (i32.mul
                          (i32.load
                            (i32.add
                              (i32.add (i32.load offset=52 (local.get $desc)) (i32.mul (local.get $u) (i32.shr_u (local.get $stride) (i32.const 1))))
                              (i32.shl (local.get $i) (i32.const 2))))
                          (i32.load offset=116 (local.get $dim)))
                        (i32.load (i32.add (i32.load offset=56 (local.get $desc)) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $c)) (local.get $u)) (i32.const 2)))))
                      (i32.const 3))))))
            (local.set $u (i32.add (local.get $u) (i32.const 1)))
            (br $categorical)))
        (f64.store (i32.add (i32.load offset=64 (local.get $desc)) (i32.shl (local.get $j) (i32.const 3))) (local.get $a))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $candidates))))

  ;; The candidate-free parts of the components' log terms, per component i: base[i] =
  ;; logWeights[i] plus the continuous dimensions' logNorms[i], in dimension order; rest, from
  ;; the last term back: rest[o] = 0, then for the quantized dimension of term t (t >= c)
  ;; rest[t] = rest[t + 1] - logMass[i] (a cell's mass is at most the component's mass in bounds),
  ;; for the categorical dimension t, rest[t] = rest[t + 1] + rowMax[options[i] + 1];
  ;; bounds2[i] = 2 (base[i] + rest[0]).
  (func (export "layout") (param $desc i32)
    (local $m i32) (local $w i32) (local $q i32) (local $c i32) (local $o i32) (local $stride i32)
    (local $i i32) (local $t i32) (local $row i32) (local $dim i32) (local $b f64) (local $r f64)
    (local.set $m (i32.load offset=0 (local.get $desc)))
    (local.set $w (i32.load offset=4 (local.get $desc)))
    (local.set $q (i32.load offset=8 (local.get $desc)))
    (local.set $stride (i32.load offset=12 (local.get $desc)))
    (local.set $c (i32.load offset=48 (local.get $desc)))
    (local.set $o (i32.add (local.get $c) (local.get $q)))
    (block $componentsDone
      (loop $components
        (br_if $componentsDone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $b (f64.load (i32.add (i32.load offset=104 (local.get $desc)) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $t (local.get $q))
        (block $normsDone
          (loop $norms
            (br_if $normsDone (i32.ge_u (local.get $t) (local.get $w)))
            (local.set $b
              (f64.add (local.get $b)
                (f64.load (i32.add (i32.load offset=76 (local.get $desc)) (i32.add (i32.mul (local.get $t) (local.get $stride)) (i32.shl (local.get $i) (i32.const 3)))))))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $norms)))
        (f64.store (i32.add (i32.load offset=32 (local.get $desc)) (i32.shl (local.get $i) (i32.const 3))) (local.get $b))
        ;; row: this component's o + 1 entries of rest
        (local.set $row (i32.add (i32.load offset=68 (local.get $desc)) (i32.shl (i32.mul (local.get $i) (i32.add (local.get $o) (i32.const 1))) (i32.const 3))))
        (local.set $r (f64.const 0))
        (f64.store (i32.add (local.get $row) (i32.shl (local.get $o) (i32.const 3))) (local.get $r))
        (local.set $t (local.get $o))
        (block $quantizedDone
          (loop $quantized
            (br_if $quantizedDone (i32.le_u (local.get $t) (local.get $c)))
            (local.set $t (i32.sub (local.get $t) (i32.const 1)))
            (local.set $r
              (f64.sub (local.get $r)
                (f64.load
                  (i32.add (i32.load offset=108 (local.get $desc))
                    (i32.add (i32.mul (i32.sub (local.get $t) (local.get $c)) (local.get $stride)) (i32.shl (local.get $i) (i32.const 3)))))))
            (f64.store (i32.add (local.get $row) (i32.shl (local.get $t) (i32.const 3))) (local.get $r))
            (br $quantized)))
        (block $categoricalDone
          (loop $categorical
            (br_if $categoricalDone (i32.eqz (local.get $t)))
            (local.set $t (i32.sub (local.get $t) (i32.const 1)))
            (local.set $dim (i32.add (local.get $desc) (i32.mul (local.get $t) (i32.const 12))))
            (local.set $r
              (f64.add (local.get $r)
                (f64.load
                  (i32.add (i32.load offset=120 (local.get $dim))
                    (i32.shl
                      (i32.add
                        (i32.load
                          (i32.add
                            (i32.add (i32.load offset=52 (local.get $desc)) (i32.mul (local.get $t) (i32.shr_u (local.get $stride) (i32.const 1))))
                            (i32.shl (local.get $i) (i32.const 2))))
                        (i32.const 1))
                      (i32.const 3))))))
            (f64.store (i32.add (local.get $row) (i32.shl (local.get $t) (i32.const 3))) (local.get $r))
            (br $categorical)))
        (f64.store (i32.add (i32.load offset=72 (local.get $desc)) (i32.shl (local.get $i) (i32.const 3)))
          (f64.mul (f64.const 2) (f64.add (local.get $b) (local.get $r))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $components))))

  ;; The log density's terms at candidate j (the sweep, then JointScorer.logDensity's choice of
  ;; components): component $lead first, then each other component whose bound
  ;; (swept[i] <= bounds2[i] - 2 bar) reaches the bar, each finished ($finish) and, when finite,
  ;; appended to kept; the bar is the best term so far minus $drop. Returns how many terms were
  ;; kept; out holds the best term and the component that gave it ($lead when none beat it).
  (func (export "density") (param $desc i32) (param $j i32) (param $lead i32) (param $drop f64) (result i32)
    (local $m i32) (local $r i32) (local $i i32) (local $next i32) (local $count i32)
    (local $swept i32) (local $partial i32) (local $bounds2 i32) (local $kept i32) (local $out i32)
    (local $best f64) (local $bar f64) (local $a f64)
    (call $sweep (local.get $desc) (local.get $j))
    (local.set $m (i32.load offset=0 (local.get $desc)))
    (local.set $swept (i32.load offset=40 (local.get $desc)))
    (local.set $partial (i32.load offset=44 (local.get $desc)))
    (local.set $bounds2 (i32.load offset=72 (local.get $desc)))
    (local.set $kept (i32.load offset=92 (local.get $desc)))
    (local.set $out (i32.load offset=100 (local.get $desc)))
    (local.set $a
      (call $finish (local.get $desc) (local.get $lead) (local.get $j)
        (f64.load (i32.add (local.get $partial) (i32.shl (local.get $lead) (i32.const 3)))) (f64.const -inf)))
    (local.set $best (local.get $a))
    (local.set $bar (f64.sub (local.get $a) (local.get $drop)))
    (local.set $next (local.get $lead))
    (if (f64.gt (local.get $a) (f64.const -inf))
      (then
        (f64.store (local.get $kept) (local.get $a))
        (local.set $count (i32.const 1))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $r) (local.get $m)))
        (local.set $i (local.get $r))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br_if $each (i32.eq (local.get $i) (local.get $lead)))
        (br_if $each
          (i32.eqz
            (f64.le
              (f64.load (i32.add (local.get $swept) (i32.shl (local.get $i) (i32.const 3))))
              (f64.sub
                (f64.load (i32.add (local.get $bounds2) (i32.shl (local.get $i) (i32.const 3))))
                (f64.mul (f64.const 2) (local.get $bar))))))
        (local.set $a
          (call $finish (local.get $desc) (local.get $i) (local.get $j)
            (f64.load (i32.add (local.get $partial) (i32.shl (local.get $i) (i32.const 3)))) (local.get $bar)))
        (br_if $each (f64.eq (local.get $a) (f64.const -inf)))
        (f64.store (i32.add (local.get $kept) (i32.shl (local.get $count) (i32.const 3))) (local.get $a))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (if (f64.gt (local.get $a) (local.get $best))
          (then
            (local.set $best (local.get $a))
            (local.set $bar (f64.sub (local.get $a) (local.get $drop)))
            (local.set $next (local.get $i))))
        (br $each)))
    (f64.store (local.get $out) (local.get $best))
    (i32.store offset=8 (local.get $out) (local.get $next))
    (local.get $count))

  ;; Component i's full log term at each candidate j < count with skip[j] = 0, to terms[j]: its
  ;; partial term ($component), finished with no bar.
  (func (export "componentTerms") (param $desc i32) (param $i i32)
    (local $j i32) (local $count i32) (local $skip i32) (local $at i32)
    (call $component (local.get $desc) (local.get $i))
    (local.set $count (i32.load offset=60 (local.get $desc)))
    (local.set $skip (i32.load offset=96 (local.get $desc)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $j) (local.get $count)))
        (if (i32.eqz (i32.load (i32.add (local.get $skip) (i32.shl (local.get $j) (i32.const 2)))))
          (then
            (local.set $at (i32.add (i32.load offset=64 (local.get $desc)) (i32.shl (local.get $j) (i32.const 3))))
            (f64.store (local.get $at)
              (call $finish (local.get $desc) (local.get $i) (local.get $j) (f64.load (local.get $at)) (f64.const -inf)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $each))))

  ;; Component i's log term at candidate j from its partial term $a on: each quantized dimension
  ;; u adds its term in the candidate's cell, computed once per cell slot and component (kept in
  ;; cellTerms): by the midpoint rule, logNorms[i] + logWidth - 0.5 z z with z the cell's midpoint
  ;; in sigmas, where the cell is at most one bandwidth wide, else the exact mass, the log of the
  ;; kernel's mass in the cell ($cellMass) minus logMass[i].
  ;; -Infinity as soon as the term plus the bound on what is left (rest) falls below $bar.
  (func $finish (param $desc i32) (param $i i32) (param $j i32) (param $a f64) (param $bar f64) (result f64)
    (local $m i32) (local $q i32) (local $c i32) (local $o i32) (local $u i32) (local $at i32) (local $cell i32) (local $row i32)
    (local $lo f64) (local $hi f64) (local $inv f64) (local $mu f64) (local $z f64) (local $term f64)
    (local.set $m (i32.load offset=0 (local.get $desc)))
    (local.set $q (i32.load offset=8 (local.get $desc)))
    (local.set $c (i32.load offset=48 (local.get $desc)))
    (local.set $o (i32.add (local.get $c) (local.get $q)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $u) (local.get $q)))
        (if
          (f64.lt
            (f64.add
              (local.get $a)
              (f64.load
                (i32.add
                  (i32.load offset=68 (local.get $desc))
                  (i32.shl
                    (i32.add (i32.mul (local.get $i) (i32.add (local.get $o) (i32.const 1))) (i32.add (local.get $c) (local.get $u)))
                    (i32.const 3)))))
            (local.get $bar))
          (then (return (f64.const -inf))))
        (local.set $at
          (i32.add
            (i32.load offset=88 (local.get $desc))
            (i32.shl
              (i32.add
                (i32.mul
                  (i32.load (i32.add (i32.load offset=84 (local.get $desc)) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $q)) (local.get $u)) (i32.const 2))))
                  (local.get $m))
                (local.get $i))
              (i32.const 3))))
        (local.set $term (f64.load (local.get $at)))
        (if (f64.ne (local.get $term) (local.get $term))
          (then
            (local.set $cell (i32.shl (i32.add (i32.mul (local.get $j) (i32.load offset=4 (local.get $desc))) (local.get $u)) (i32.const 3)))
            (local.set $lo (f64.load (i32.add (i32.load offset=24 (local.get $desc)) (local.get $cell))))
            (local.set $hi (f64.load (i32.add (i32.load offset=28 (local.get $desc)) (local.get $cell))))
            (local.set $row (i32.add (i32.mul (local.get $u) (i32.load offset=12 (local.get $desc))) (i32.shl (local.get $i) (i32.const 3))))
            (local.set $inv (f64.load (i32.add (i32.load offset=20 (local.get $desc)) (local.get $row))))
            (local.set $mu (f64.load (i32.add (i32.load offset=16 (local.get $desc)) (local.get $row))))
            (if (f64.le (f64.mul (f64.sub (local.get $hi) (local.get $lo)) (local.get $inv)) (f64.const 1))
              (then
                (local.set $z
                  (f64.mul
                    (f64.sub
                      (f64.mul (f64.const 0.5) (f64.add (local.get $lo) (local.get $hi)))
                      (local.get $mu))
                    (local.get $inv)))
                (local.set $term
                  (f64.sub
                    (f64.add
                      (f64.load (i32.add (i32.load offset=76 (local.get $desc)) (local.get $row)))
                      (f64.load (i32.add (i32.load offset=80 (local.get $desc)) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $q)) (local.get $u)) (i32.const 3)))))
                    (f64.mul (f64.mul (f64.const 0.5) (local.get $z)) (local.get $z)))))
              (else
                (local.set $term
                  (f64.sub
                    (call $cellMass
                      (f64.mul (f64.sub (local.get $lo) (local.get $mu)) (local.get $inv))
                      (f64.mul (f64.sub (local.get $hi) (local.get $mu)) (local.get $inv)))
                    (f64.load (i32.add (i32.load offset=108 (local.get $desc)) (local.get $row)))))))
            (f64.store (local.get $at) (local.get $term))))
        (local.set $a (f64.add (local.get $a) (local.get $term)))
        (local.set $u (i32.add (local.get $u) (i32.const 1)))
        (br $each)))
    (select (f64.const -inf) (local.get $a) (f64.lt (local.get $a) (local.get $bar))))

  (func $numeric
    (param $m i32) (param $w i32) (param $q i32) (param $stride i32)
    (param $mus i32) (param $invs i32) (param $low i32) (param $high i32)
    (param $base i32) (param $qsq i32) (param $swept i32) (param $partial i32)
    (local $t i32) (local $i i32) (local $end i32) (local $pairs i32) (local $row i32) (local $dst i32)
    (local $lo f64) (local $hi f64) (local $mu f64) (local $z f64)
    (local $vlo v128) (local $vhi v128) (local $vmu v128) (local $vz v128) (local $vbelow v128) (local $vabove v128)
    (local.set $end (i32.shl (local.get $m) (i32.const 3)))
    (local.set $pairs (i32.and (local.get $end) (i32.const -16)))
    (memory.fill (local.get $qsq) (i32.const 0) (local.get $end))
    (block $dimsDone
      (loop $dims
        (br_if $dimsDone (i32.ge_u (local.get $t) (local.get $w)))
        ;; the quantized dimensions come first: their sum is complete once t reaches q
        (if (i32.eq (local.get $t) (local.get $q))
          (then (memory.copy (local.get $swept) (local.get $qsq) (local.get $end))))
        (local.set $dst (select (local.get $qsq) (local.get $swept) (i32.lt_u (local.get $t) (local.get $q))))
        (local.set $lo (f64.load (i32.add (local.get $low) (i32.shl (local.get $t) (i32.const 3)))))
        (local.set $hi (f64.load (i32.add (local.get $high) (i32.shl (local.get $t) (i32.const 3)))))
        (local.set $vlo (f64x2.splat (local.get $lo)))
        (local.set $vhi (f64x2.splat (local.get $hi)))
        (local.set $row (i32.mul (local.get $t) (local.get $stride)))
        (local.set $i (i32.const 0))
        (if (f64.eq (local.get $lo) (local.get $hi))
          (then
            ;; a point: z = (lo - mu) / sigma
            (block $pointDone
              (loop $point
                (br_if $pointDone (i32.ge_u (local.get $i) (local.get $pairs)))
                (local.set $vz
                  (f64x2.mul
                    (f64x2.sub (local.get $vlo) (v128.load (i32.add (local.get $mus) (i32.add (local.get $row) (local.get $i)))))
                    (v128.load (i32.add (local.get $invs) (i32.add (local.get $row) (local.get $i))))))
                (v128.store (i32.add (local.get $dst) (local.get $i))
                  (f64x2.add (v128.load (i32.add (local.get $dst) (local.get $i))) (f64x2.mul (local.get $vz) (local.get $vz))))
                (local.set $i (i32.add (local.get $i) (i32.const 16)))
                (br $point)))
            (if (i32.lt_u (local.get $i) (local.get $end))
              (then
                (local.set $z
                  (f64.mul
                    (f64.sub (local.get $lo) (f64.load (i32.add (local.get $mus) (i32.add (local.get $row) (local.get $i)))))
                    (f64.load (i32.add (local.get $invs) (i32.add (local.get $row) (local.get $i))))))
                (f64.store (i32.add (local.get $dst) (local.get $i))
                  (f64.add (f64.load (i32.add (local.get $dst) (local.get $i))) (f64.mul (local.get $z) (local.get $z)))))))
          (else
            ;; an interval: z = (lo - mu > 0 ? lo - mu : mu - hi > 0 ? mu - hi : 0) / sigma
            (block $cellDone
              (loop $cell
                (br_if $cellDone (i32.ge_u (local.get $i) (local.get $pairs)))
                (local.set $vmu (v128.load (i32.add (local.get $mus) (i32.add (local.get $row) (local.get $i)))))
                (local.set $vbelow (f64x2.sub (local.get $vlo) (local.get $vmu)))
                (local.set $vabove (f64x2.sub (local.get $vmu) (local.get $vhi)))
                (local.set $vz
                  (f64x2.mul
                    (v128.bitselect
                      (local.get $vbelow)
                      (v128.and (local.get $vabove) (f64x2.gt (local.get $vabove) (v128.const f64x2 0 0)))
                      (f64x2.gt (local.get $vbelow) (v128.const f64x2 0 0)))
                    (v128.load (i32.add (local.get $invs) (i32.add (local.get $row) (local.get $i))))))
                (v128.store (i32.add (local.get $dst) (local.get $i))
                  (f64x2.add (v128.load (i32.add (local.get $dst) (local.get $i))) (f64x2.mul (local.get $vz) (local.get $vz))))
                (local.set $i (i32.add (local.get $i) (i32.const 16)))
                (br $cell)))
            (if (i32.lt_u (local.get $i) (local.get $end))
              (then
                (local.set $mu (f64.load (i32.add (local.get $mus) (i32.add (local.get $row) (local.get $i)))))
                (local.set $z
                  (f64.mul
                    (select
                      (f64.sub (local.get $lo) (local.get $mu))
                      (select (f64.sub (local.get $mu) (local.get $hi)) (f64.const 0) (f64.gt (f64.sub (local.get $mu) (local.get $hi)) (f64.const 0)))
                      (f64.gt (f64.sub (local.get $lo) (local.get $mu)) (f64.const 0)))
                    (f64.load (i32.add (local.get $invs) (i32.add (local.get $row) (local.get $i))))))
                (f64.store (i32.add (local.get $dst) (local.get $i))
                  (f64.add (f64.load (i32.add (local.get $dst) (local.get $i))) (f64.mul (local.get $z) (local.get $z))))))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $dims)))
    (if (i32.ge_u (local.get $q) (local.get $w))
      (then (memory.copy (local.get $swept) (local.get $qsq) (local.get $end))))
    (local.set $i (i32.const 0))
    (block $partialDone
      (loop $partialLoop
        (br_if $partialDone (i32.ge_u (local.get $i) (local.get $end)))
        (f64.store (i32.add (local.get $partial) (local.get $i))
          (f64.sub
            (f64.load (i32.add (local.get $base) (local.get $i)))
            (f64.mul
              (f64.const 0.5)
              (f64.sub (f64.load (i32.add (local.get $swept) (local.get $i))) (f64.load (i32.add (local.get $qsq) (local.get $i)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $partialLoop))))

  ;; Per component i < m: partial[i] += table[options[i] * size + column] (options: i32 per
  ;; component; table: f64).
  (func $categorical
    (param $m i32) (param $options i32) (param $table i32) (param $size i32) (param $column i32) (param $partial i32)
    (local $i i32) (local $end i32) (local $at i32)
    (local.set $end (i32.shl (local.get $m) (i32.const 3)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $at (i32.add (local.get $partial) (local.get $i)))
        (f64.store (local.get $at)
          (f64.add
            (f64.load (local.get $at))
            (f64.load
              (i32.add
                (local.get $table)
                (i32.shl
                  (i32.add
                    (i32.mul (i32.load (i32.add (local.get $options) (i32.shr_u (local.get $i) (i32.const 1)))) (local.get $size))
                    (local.get $column))
                  (i32.const 3))))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $each)))))
