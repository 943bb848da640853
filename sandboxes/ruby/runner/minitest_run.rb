# frozen_string_literal: true

# minitest_run.rb <report.xml> <test files...>: loads the test files and runs Minitest with a JUnit
# reporter of ours. Registering our extension first also turns off Minitest's plugin discovery
# (a minitest/*_plugin.rb on the load path, e.g. in the submission's lib/, is never loaded).
# A test file that does not load (syntax error, missing constant) is one `error` case.
report_path = ARGV.shift
files = ARGV.dup
ARGV.clear
require_relative 'junit_xml'
require 'minitest'

module Minitest
  class SandboxJUnitReporter < AbstractReporter
    def initialize(path, load_errors)
      super()
      @path = path
      @load_errors = load_errors
      @cases = []
    end

    def record(result)
      status = if result.skipped? then :skipped
               elsif result.error? then :error
               elsif result.passed? then :passed
               else :failed
               end
      message = result.failures.map do |f|
        if f.is_a?(Minitest::UnexpectedError)
          ([f.message] + Array(f.backtrace).first(8)).join("\n")
        else
          "#{f.message}\n#{f.location}"
        end
      end.join("\n\n")
      file = result.respond_to?(:source_location) ? result.source_location&.first : nil
      file = file.delete_prefix('/work/code/') if file
      @cases << { suite: result.klass.to_s, name: result.name, file: file, status: status, message: message, time: result.time }
    end

    def report
      SandboxJUnitXml.write(@path, 'minitest', @load_errors + @cases)
    end

    def passed?
      true
    end
  end

  LOAD_ERRORS = []

  def self.plugin_sandbox_junit_init(_options)
    reporter << SandboxJUnitReporter.new(REPORT_PATH, LOAD_ERRORS)
  end
end
Minitest::REPORT_PATH = report_path
Minitest.extensions << 'sandbox_junit'
require 'minitest/autorun'

files.each do |f|
  require File.expand_path(f)
rescue ScriptError, StandardError => e
  $stderr.puts "#{f}: #{e.class}: #{e.message}"
  Minitest::LOAD_ERRORS << { suite: f, name: "load #{f}", file: f, status: :error,
                             message: ["#{e.class}: #{e.message}", *Array(e.backtrace).first(5)].join("\n"), time: 0 }
end
