//! Small text helpers: Chinese numerals, fictional personal names, phone numbers.

use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// 1 → 一, 12 → 十二, 64 → 六十四, 105 → 一百零五, 230 → 二百三十.
pub fn cn_number(n: u32) -> String {
    let n = n.min(999);
    let (hundreds, tens, ones) = (n / 100, (n / 10) % 10, n % 10);
    let mut out = String::new();
    if hundreds > 0 {
        out.push_str(DIGITS[hundreds as usize]);
        out.push('百');
        if tens == 0 && ones > 0 {
            out.push('零');
        }
    }
    if tens > 0 {
        if !(tens == 1 && hundreds == 0) {
            out.push_str(DIGITS[tens as usize]);
        }
        out.push('十');
    }
    if ones > 0 || n == 0 {
        out.push_str(DIGITS[ones as usize]);
    }
    out
}

/// 第六十四条
pub fn article(n: u32) -> String {
    format!("第{}条", cn_number(n))
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "朱", "马", "胡", "郭",
    "林", "何", "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "潘", "袁", "蔡", "蒋", "余", "于", "杜", "叶", "程", "魏", "苏", "吕", "丁",
];
const GIVEN: &[&str] = &[
    "建", "国", "明", "华", "文", "志", "伟", "芳", "静", "丽", "军", "平", "海", "红", "霞", "斌",
    "涛", "鹏", "磊", "婷", "燕", "晨", "宇", "欣", "俊", "辉", "敏", "佳", "琳", "峰", "强", "超",
    "杰", "雪", "梅", "勇", "健", "春", "秋", "冬", "晓", "玉", "新", "立", "成", "德", "泽", "润",
];

/// A fictional personal name (surname + one or two given characters).
pub fn person_name(rng: &mut ChaCha8Rng) -> String {
    let mut name = String::new();
    name.push_str(SURNAMES.choose(rng).copied().unwrap_or("王"));
    name.push_str(GIVEN.choose(rng).copied().unwrap_or("明"));
    if rng.random_bool(0.6) {
        name.push_str(GIVEN.choose(rng).copied().unwrap_or("华"));
    }
    name
}

/// The fictional city's area code.
pub const AREA_CODE: &str = "0710";

/// An 8-digit local number with the given first digit.
pub fn phone(rng: &mut ChaCha8Rng, first: u32) -> String {
    format!(
        "{AREA_CODE}-{first}{:07}",
        rng.random_range(0..10_000_000u32)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        assert_eq!(cn_number(1), "一");
        assert_eq!(cn_number(10), "十");
        assert_eq!(cn_number(12), "十二");
        assert_eq!(cn_number(20), "二十");
        assert_eq!(cn_number(64), "六十四");
        assert_eq!(cn_number(100), "一百");
        assert_eq!(cn_number(105), "一百零五");
        assert_eq!(cn_number(110), "一百一十");
        assert_eq!(cn_number(230), "二百三十");
        assert_eq!(article(64), "第六十四条");
    }
}
