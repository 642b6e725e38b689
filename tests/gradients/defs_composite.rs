//! The composite cases of [`super::defs`]: bodies that combine several
//! primitives (polynomials, activations in series, branches, constants),
//! each with its closed-form gradient. Instantiated by `define!` once per
//! float type.

macro_rules! define_composites {
    ($t:ident) => {
        /// The tutorial's neuron.
        #[differentiable]
        pub(crate) fn neuron(x: $t, w: $t, b: $t) -> $t {
            let z = w * x + b;
            sigmoid(z)
        }
        pub(crate) fn neuron_closed(x: $t, w: $t, b: $t) -> ($t, $t, $t) {
            let s = sg(w * x + b);
            let d = s * (1.0 - s);
            (d * w, d * x, d)
        }

        /// The tutorial's §4 loss: `(1 − x·w)²`.
        #[differentiable]
        pub(crate) fn mse1(x: $t, w: $t) -> $t {
            let e = 1.0 - x * w;
            e * e
        }
        pub(crate) fn mse1_closed(x: $t, w: $t) -> ($t, $t) {
            let e = 1.0 - x * w;
            (-2.0 * e * w, -2.0 * e * x)
        }

        /// A 10-term polynomial.
        #[differentiable]
        pub(crate) fn poly10(x: $t) -> $t {
            1.0 + 2.0 * x + 3.0 * x.powi(2) - 4.0 * x.powi(3) + 5.0 * x.powi(4) - 0.5 * x.powi(5)
                + 0.25 * x.powi(6)
                - 0.125 * x.powi(7)
                + 0.0625 * x.powi(8)
                - 0.03125 * x.powi(9)
        }
        pub(crate) fn poly10_closed(x: $t) -> $t {
            2.0 + 6.0 * x - 12.0 * x.powi(2) + 20.0 * x.powi(3) - 2.5 * x.powi(4) + 1.5 * x.powi(5)
                - 0.875 * x.powi(6)
                + 0.5 * x.powi(7)
                - 0.28125 * x.powi(8)
        }

        /// A 3-layer scalar network.
        #[differentiable]
        pub(crate) fn net3(x: $t, w1: $t, b1: $t, w2: $t, b2: $t, w3: $t) -> $t {
            let h1 = tanh(w1 * x + b1);
            let h2 = sigmoid(w2 * h1 + b2);
            w3 * h2
        }
        pub(crate) fn net3_closed(
            x: $t,
            w1: $t,
            b1: $t,
            w2: $t,
            b2: $t,
            w3: $t,
        ) -> ($t, $t, $t, $t, $t, $t) {
            let h1 = (w1 * x + b1).tanh();
            let h2 = sg(w2 * h1 + b2);
            let dz2 = w3 * h2 * (1.0 - h2);
            let dz1 = dz2 * w2 * (1.0 - h1 * h1);
            (dz1 * w1, dz1 * x, dz1, dz2 * h1, dz2, h2)
        }

        /// Nested tanh.
        #[differentiable]
        pub(crate) fn tanh_heavy(x: $t, y: $t) -> $t {
            tanh(tanh(x * y) + tanh(x - y)) * tanh(x)
        }
        pub(crate) fn tanh_heavy_closed(x: $t, y: $t) -> ($t, $t) {
            let a = (x * y).tanh();
            let b = (x - y).tanh();
            let o = (a + b).tanh();
            let t = x.tanh();
            let dou = (1.0 - o * o) * t;
            let da = 1.0 - a * a;
            let db = 1.0 - b * b;
            (dou * (da * y + db) + o * (1.0 - t * t), dou * (da * x - db))
        }

        /// softplus / exp / ln mix.
        #[differentiable]
        pub(crate) fn soft_mix(x: $t, y: $t) -> $t {
            softplus(x) * exp(-y) + ln(1.0 + x * x)
        }
        pub(crate) fn soft_mix_closed(x: $t, y: $t) -> ($t, $t) {
            let sp = grad::scalar::softplus(x);
            (
                sg(x) * (-y).exp() + 2.0 * x / (1.0 + x * x),
                -sp * (-y).exp(),
            )
        }

        /// powi / powf / sqrt mix.
        #[differentiable]
        pub(crate) fn pow_mix(x: $t, y: $t) -> $t {
            x.powi(3) * y.powf(1.5) + sqrt(x * x + y * y)
        }
        pub(crate) fn pow_mix_closed(x: $t, y: $t) -> ($t, $t) {
            let r = (x * x + y * y).sqrt();
            (
                3.0 * x * x * y.powf(1.5) + x / r,
                1.5 * x.powi(3) * y.sqrt() + y / r,
            )
        }

        /// Division chain.
        #[differentiable]
        pub(crate) fn quotients(x: $t, y: $t) -> $t {
            (x + y) / (1.0 + x * x) / y
        }
        pub(crate) fn quotients_closed(x: $t, y: $t) -> ($t, $t) {
            let d = 1.0 + x * x;
            ((d - 2.0 * x * (x + y)) / (d * d * y), -x / (d * y * y))
        }

        /// Unary minus and parentheses.
        #[differentiable]
        pub(crate) fn negations(x: $t, y: $t) -> $t {
            -(-x * y) - (-(y * y)) + -(x - (-y)) * -x
        }
        pub(crate) fn negations_closed(x: $t, y: $t) -> ($t, $t) {
            // = x·y + y² + x² + x·y
            (2.0 * y + 2.0 * x, 2.0 * x + 2.0 * y)
        }

        /// `let` shadowing.
        #[differentiable]
        pub(crate) fn shadowing(x: $t, y: $t) -> $t {
            let z = x * y;
            let z = z + x;
            let z = sin(z);
            z * z
        }
        pub(crate) fn shadowing_closed(x: $t, y: $t) -> ($t, $t) {
            let u = x * y + x;
            let d = 2.0 * u.sin() * u.cos();
            (d * (y + 1.0), d * x)
        }

        /// Type annotations on `let`.
        #[differentiable]
        pub(crate) fn annotated(x: $t) -> $t {
            let a: $t = x * 2.0 + 3.0;
            let b: $t = a.exp();
            b / a
        }
        pub(crate) fn annotated_closed(x: $t) -> $t {
            let a = x * 2.0 + 3.0;
            2.0 * a.exp() * (a - 1.0) / (a * a)
        }

        /// if / else, the derivative follows the branch.
        #[differentiable]
        pub(crate) fn branches(x: $t, y: $t) -> $t {
            if x > y { x * y } else { x - y * y }
        }
        pub(crate) fn branches_closed(x: $t, y: $t) -> ($t, $t) {
            if x > y { (y, x) } else { (1.0, -2.0 * y) }
        }

        /// else-if chain with lets inside the branches.
        #[differentiable]
        pub(crate) fn else_if(x: $t) -> $t {
            if x < -1.0 {
                let a = -x;
                a * a
            } else if x < 1.0 {
                x.sin()
            } else {
                let e = exp(x - 1.0);
                e + x
            }
        }
        pub(crate) fn else_if_closed(x: $t) -> $t {
            if x < -1.0 {
                2.0 * x
            } else if x < 1.0 {
                x.cos()
            } else {
                (x - 1.0).exp() + 1.0
            }
        }

        /// ELU written with if/else.
        #[differentiable]
        pub(crate) fn elu(x: $t) -> $t {
            if x > 0.0 { x } else { exp(x) - 1.0 }
        }
        pub(crate) fn elu_closed(x: $t) -> $t {
            if x > 0.0 { 1.0 } else { x.exp() }
        }

        /// Casts of constants and constant folding.
        #[differentiable]
        pub(crate) fn casts(x: $t) -> $t {
            let k = 3 as $t;
            (2.0 * 3.0 + 1.0) * x + k * x * x + (1.5 as $t) * x
        }
        pub(crate) fn casts_closed(x: $t) -> $t {
            7.0 + 6.0 * x + 1.5
        }

        /// `x` used many times.
        #[differentiable]
        pub(crate) fn reuse(x: $t) -> $t {
            x * x * x * x + x / x + x - x
        }
        pub(crate) fn reuse_closed(x: $t) -> $t {
            4.0 * x * x * x
        }

        /// A parameter that is never used gets a zero partial.
        #[differentiable]
        pub(crate) fn unused(x: $t, _y: $t) -> $t {
            x * x
        }
        pub(crate) fn unused_closed(x: $t, _y: $t) -> ($t, $t) {
            (2.0 * x, 0.0)
        }

        /// softsign.
        #[differentiable]
        pub(crate) fn softsign(x: $t) -> $t {
            x / (1.0 + abs(x))
        }
        pub(crate) fn softsign_closed(x: $t) -> $t {
            1.0 / ((1.0 + x.abs()) * (1.0 + x.abs()))
        }

        /// swish / SiLU.
        #[differentiable]
        pub(crate) fn swish(x: $t) -> $t {
            x * sigmoid(x)
        }
        pub(crate) fn swish_closed(x: $t) -> $t {
            let s = sg(x);
            s + x * s * (1.0 - s)
        }

        /// GELU, tanh approximation.
        #[differentiable]
        pub(crate) fn gelu(x: $t) -> $t {
            0.5 * x * (1.0 + tanh(0.797_884_6 * (x + 0.044715 * x.powi(3))))
        }
        pub(crate) fn gelu_closed(x: $t) -> $t {
            let u = 0.797_884_6 * (x + 0.044715 * x.powi(3));
            let t = u.tanh();
            0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * 0.797_884_6 * (1.0 + 3.0 * 0.044715 * x * x)
        }

        /// Log-sum-exp of two.
        #[differentiable]
        pub(crate) fn lse2(x: $t, y: $t) -> $t {
            ln(exp(x) + exp(y))
        }
        pub(crate) fn lse2_closed(x: $t, y: $t) -> ($t, $t) {
            let s = x.exp() + y.exp();
            (x.exp() / s, y.exp() / s)
        }

        /// Gaussian bump.
        #[differentiable]
        pub(crate) fn gaussian(x: $t, mu: $t, s: $t) -> $t {
            let d = x - mu;
            exp(-d * d / (2.0 * s * s)) / s
        }
        pub(crate) fn gaussian_closed(x: $t, mu: $t, s: $t) -> ($t, $t, $t) {
            let d = x - mu;
            let g = (-d * d / (2.0 * s * s)).exp() / s;
            (
                -g * d / (s * s),
                g * d / (s * s),
                g * (d * d / (s * s * s) - 1.0 / s),
            )
        }

        /// Trigonometric mix.
        #[differentiable]
        pub(crate) fn trig(x: $t, y: $t) -> $t {
            sin(x) * cos(y) + cos(x * y)
        }
        pub(crate) fn trig_closed(x: $t, y: $t) -> ($t, $t) {
            (
                x.cos() * y.cos() - y * (x * y).sin(),
                -x.sin() * y.sin() - x * (x * y).sin(),
            )
        }

        /// abs mix.
        #[differentiable]
        pub(crate) fn abs_mix(x: $t, y: $t) -> $t {
            abs(x - y) * x + sqrt(abs(y) + 1.0)
        }
        pub(crate) fn abs_mix_closed(x: $t, y: $t) -> ($t, $t) {
            let s = p_abs_closed(x - y);
            let sy = p_abs_closed(y);
            (
                s * x + (x - y).abs(),
                -s * x + sy * 0.5 / (y.abs() + 1.0).sqrt(),
            )
        }

        /// max / min mix, free and method form.
        #[differentiable]
        pub(crate) fn max_min(x: $t, y: $t) -> $t {
            max(x, y) * min(x, 0.5) + x.max(y * 2.0)
        }
        pub(crate) fn max_min_closed(x: $t, y: $t) -> ($t, $t) {
            let (mx, my) = p_max_closed(x, y);
            let mn = x.min(0.5);
            let dmn = if x < 0.5 { 1.0 } else { 0.0 };
            let (ax, ay) = p_max_closed(x, y * 2.0);
            (mx * mn + x.max(y) * dmn + ax, my * mn + 2.0 * ay)
        }

        /// leaky_relu and relu of expressions.
        #[differentiable]
        pub(crate) fn leaky_mix(x: $t, y: $t) -> $t {
            leaky_relu(x * y, 0.01) + relu(x - y)
        }
        pub(crate) fn leaky_mix_closed(x: $t, y: $t) -> ($t, $t) {
            let l = if x * y > 0.0 { 1.0 } else { 0.01 };
            let r = if x - y > 0.0 { 1.0 } else { 0.0 };
            (l * y + r, l * x - r)
        }

        /// Hypotenuse.
        #[differentiable]
        pub(crate) fn hypot(x: $t, y: $t) -> $t {
            sqrt(x * x + y * y)
        }
        pub(crate) fn hypot_closed(x: $t, y: $t) -> ($t, $t) {
            let r = (x * x + y * y).sqrt();
            (x / r, y / r)
        }

        /// Method chains.
        #[differentiable]
        pub(crate) fn chain(x: $t) -> $t {
            x.sin().exp().sqrt() + x.abs().powf(1.5)
        }
        pub(crate) fn chain_closed(x: $t) -> $t {
            0.5 * x.sin().exp().sqrt() * x.cos() + 1.5 * x.abs().sqrt() * p_abs_closed(x)
        }

        /// Exponent as a differentiated parameter.
        #[differentiable]
        pub(crate) fn power_param(x: $t, p: $t) -> $t {
            x.powf(p) * p
        }
        pub(crate) fn power_param_closed(x: $t, p: $t) -> ($t, $t) {
            (p * p * x.powf(p - 1.0), x.powf(p) * x.ln() * p + x.powf(p))
        }

        /// Logistic-regression loss with a constant label.
        #[differentiable]
        pub(crate) fn logistic(x: $t, w: $t, b: $t, y: bool) -> $t {
            let p = sigmoid(w * x + b);
            if y { -ln(p) } else { -ln(1.0 - p) }
        }
        pub(crate) fn logistic_closed(x: $t, w: $t, b: $t, y: bool) -> ($t, $t, $t) {
            let p = sg(w * x + b);
            let d = if y { p - 1.0 } else { p };
            (d * w, d * x, d)
        }

        /// Softplus with a temperature: `softplus(k·x)/k`.
        #[differentiable]
        pub(crate) fn soft_temp(x: $t, k: $t) -> $t {
            softplus(k * x) / k
        }
        pub(crate) fn soft_temp_closed(x: $t, k: $t) -> ($t, $t) {
            let sp = grad::scalar::softplus(k * x);
            (sg(k * x), x * sg(k * x) / k - sp / (k * k))
        }

        /// Rational function.
        #[differentiable]
        pub(crate) fn rational(x: $t, y: $t) -> $t {
            (x * x - y) / (1.0 + y * y) + 1.0 / x
        }
        pub(crate) fn rational_closed(x: $t, y: $t) -> ($t, $t) {
            let d = 1.0 + y * y;
            (
                2.0 * x / d - 1.0 / (x * x),
                (-d - (x * x - y) * 2.0 * y) / (d * d),
            )
        }

        /// A constant `usize` and an `i32` exponent.
        #[differentiable]
        pub(crate) fn int_params(x: $t, n: usize, k: i32) -> $t {
            x * (n as $t) + x.powi(k)
        }
        pub(crate) fn int_params_closed(x: $t, n: usize, k: i32) -> $t {
            n as $t + (k as $t) * x.powi(k - 1)
        }
    };
}
